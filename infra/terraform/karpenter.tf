# ---- node autoscaling: Karpenter
#
# Knative scales each effect's pods on the requests in flight (up to its max-scale), but pods need nodes: with only
# the fixed node group, blur's tenth pod (1 CPU each) stays Pending. Karpenter watches for Pending pods and launches
# a node that fits them (in about a minute), and removes nodes once the effects have scaled to zero and left them
# empty. What it may launch (instance families, sizes, architectures, the CPU ceiling) and when it removes nodes are
# in infra/karpenter/nodepool.yaml, which deploy.sh applies with the values below.

# The controller's IAM role (through EKS Pod Identity: no OIDC trust to keep in step), the SQS queue and EventBridge
# rules that bring spot interruptions, rebalance notices and instance state changes to Karpenter, and the nodes' IAM
# role with the EKS access entry that lets them join the cluster.
module "karpenter" {
  source  = "terraform-aws-modules/eks/aws//modules/karpenter"
  version = "~> 20.31"
  count   = var.enable_karpenter ? 1 : 0

  cluster_name          = module.eks.cluster_name
  enable_v1_permissions = true

  enable_pod_identity             = true
  create_pod_identity_association = true
  namespace                       = "kube-system"
  service_account                 = "karpenter"

  # A fixed name, which infra/karpenter/ec2nodeclass.yaml names (deploy.sh sets it from the output).
  node_iam_role_use_name_prefix = false
  node_iam_role_name            = "${var.name}-karpenter-node"
  node_iam_role_additional_policies = {
    # Shell access to a node through Session Manager instead of SSH keys and an open port.
    AmazonSSMManagedInstanceCore = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
  }
}

resource "helm_release" "karpenter" {
  count      = var.enable_karpenter ? 1 : 0
  name       = "karpenter"
  namespace  = "kube-system"
  repository = "oci://public.ecr.aws/karpenter"
  chart      = "karpenter"
  # Pinned: Karpenter 1.1 supports Kubernetes 1.31 (kubernetes_version) and the v1 NodePool API
  # infra/karpenter/ uses. Change it deliberately, with the Kubernetes version.
  version = var.karpenter_version
  wait    = true

  values = [jsonencode({
    serviceAccount = { name = one(module.karpenter[*].service_account) }
    settings = {
      clusterName       = module.eks.cluster_name
      clusterEndpoint   = module.eks.cluster_endpoint
      interruptionQueue = one(module.karpenter[*].queue_name)
    }
    # On the system nodes only: Karpenter must not run on a node it may remove.
    nodeSelector = { "imageflow.dev/pool" = "system" }
    # Two replicas (one leader) so that a system node's replacement does not stop node scaling; small requests, it is
    # a controller that mostly waits.
    replicas = 2
    controller = {
      resources = {
        requests = { cpu = "250m", memory = "512Mi" }
        limits   = { memory = "512Mi" }
      }
    }
  })]

  depends_on = [module.eks]
}
