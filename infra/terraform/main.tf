# What seed 001 built by hand, as code: a VPC, an EKS cluster with a managed node group, a private encrypted S3
# bucket for originals and results, an IAM role the function pods assume through their service account (IRSA: no
# keys anywhere), and one ECR repository per function image. Knative itself is installed by
# infra/knative/install.sh once the cluster exists (see README, "On AWS"). Node autoscaling is in karpenter.tf,
# the durable Broker's Kafka in kafka.tf, cost alarms in cost.tf.

data "aws_availability_zones" "available" {
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_caller_identity" "current" {}

locals {
  azs       = slice(data.aws_availability_zones.available.names, 0, 3)
  functions = ["gateway", "effects"]
  bucket    = "${var.name}-images-${data.aws_caller_identity.current.account_id}-${var.region}"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.16"

  name            = var.name
  cidr            = "10.42.0.0/16"
  azs             = local.azs
  private_subnets = [for i, _ in local.azs : cidrsubnet("10.42.0.0/16", 4, i)]
  public_subnets  = [for i, _ in local.azs : cidrsubnet("10.42.0.0/16", 8, 48 + i)]

  enable_nat_gateway = true
  single_nat_gateway = true

  # Tags the AWS load balancer integration looks for, so Kourier's Service gets a public load balancer. Karpenter
  # finds the subnets for its nodes by karpenter.sh/discovery (infra/karpenter/ec2nodeclass.yaml).
  public_subnet_tags = { "kubernetes.io/role/elb" = 1 }
  private_subnet_tags = {
    "kubernetes.io/role/internal-elb" = 1
    "karpenter.sh/discovery"          = var.name
  }
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.31"

  cluster_name                             = var.name
  cluster_version                          = var.kubernetes_version
  cluster_endpoint_public_access           = true
  enable_cluster_creator_admin_permissions = true
  enable_irsa                              = true

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  # Karpenter's nodes take the same security group as the system nodes (so Redis, MSK and the control plane treat
  # them alike); it finds the group by this tag.
  node_security_group_tags = { "karpenter.sh/discovery" = var.name }

  cluster_addons = {
    coredns    = {}
    kube-proxy = {}
    vpc-cni    = {}
    # Karpenter's controller gets its IAM role through EKS Pod Identity (karpenter.tf), which needs this agent.
    eks-pod-identity-agent = {}
    # Redis keeps its data on an EBS volume (infra/redis/statefulset.yaml).
    # EKS from 1.30 marks no StorageClass as default, so Redis's claim (which names none) would stay Pending: the
    # add-on's own gp3 class, made default here, provisions it.
    aws-ebs-csi-driver = {
      service_account_role_arn = module.ebs_csi_irsa.iam_role_arn
      configuration_values     = jsonencode({
        defaultStorageClass = { enabled = true }
      })
    }
  }

  # The system node group: a small fixed set of nodes for what must always run (Knative's control plane and
  # activator, Kourier, Redis, the gateway's one pod, Karpenter itself). Nothing scales it: the effects' pods that do
  # not fit here land on the nodes Karpenter launches (karpenter.tf, infra/karpenter/nodepool.yaml), which come and go
  # with the load. Without Karpenter (enable_karpenter = false) this group is all there is.
  eks_managed_node_groups = {
    default = {
      instance_types = var.node_instance_types
      min_size       = var.node_min_size
      max_size       = var.node_max_size
      desired_size   = var.node_desired_size
      # Karpenter's controller is pinned to these nodes: it must not run on a node it may remove.
      labels = { "imageflow.dev/pool" = "system" }
    }
  }
}

module "ebs_csi_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.48"

  role_name             = "${var.name}-ebs-csi"
  attach_ebs_csi_policy = true
  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["kube-system:ebs-csi-controller-sa"]
    }
  }
}

# ---- images bucket: private, encrypted, objects expire

resource "aws_s3_bucket" "images" {
  bucket        = local.bucket
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_public_access_block" "images" {
  bucket                  = aws_s3_bucket.images.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "images" {
  bucket = aws_s3_bucket.images.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "images" {
  bucket = aws_s3_bucket.images.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "images" {
  bucket = aws_s3_bucket.images.id
  rule {
    id     = "expire-job-objects"
    status = "Enabled"
    filter {}
    expiration {
      days = var.object_expiration_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_s3_bucket_policy" "tls_only" {
  bucket = aws_s3_bucket.images.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.images.arn, "${aws_s3_bucket.images.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
  depends_on = [aws_s3_bucket_public_access_block.images]
}

# ---- what the functions may do: read and write objects in that bucket, nothing else

resource "aws_iam_policy" "functions" {
  name        = "${var.name}-functions-s3"
  description = "imageflow functions: objects of the images bucket"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
        Resource = "${aws_s3_bucket.images.arn}/*"
      },
      {
        Effect   = "Allow"
        Action   = ["s3:ListBucket"]
        Resource = aws_s3_bucket.images.arn
      }
    ]
  })
}

module "functions_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.48"

  role_name        = "${var.name}-functions"
  role_policy_arns = { s3 = aws_iam_policy.functions.arn }
  oidc_providers = {
    main = {
      provider_arn = module.eks.oidc_provider_arn
      # infra/overlays/aws/serviceaccount.yaml: every function runs as imageflow/imageflow.
      namespace_service_accounts = ["imageflow:imageflow"]
    }
  }
}

# ---- one repository per function image

resource "aws_ecr_repository" "functions" {
  for_each             = toset(local.functions)
  name                 = "${var.name}/${each.key}"
  image_tag_mutability = "MUTABLE"
  force_delete         = var.force_destroy
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_lifecycle_policy" "functions" {
  for_each   = aws_ecr_repository.functions
  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "keep the last 10 images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 10 }
      action       = { type = "expire" }
    }]
  })
}
