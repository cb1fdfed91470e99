output "region" {
  description = "The region everything is in."
  value       = var.region
}

output "cluster_name" {
  description = "The EKS cluster; `aws eks update-kubeconfig --region <region> --name <cluster_name>` points kubectl at it."
  value       = module.eks.cluster_name
}

output "bucket" {
  description = "The images bucket: IMAGEFLOW_S3_BUCKET."
  value       = aws_s3_bucket.images.bucket
}

output "functions_role_arn" {
  description = "The IAM role of the imageflow service account (annotation eks.amazonaws.com/role-arn)."
  value       = module.functions_irsa.iam_role_arn
}

output "ecr_registry" {
  description = "The registry host images are pushed to."
  value       = "${data.aws_caller_identity.current.account_id}.dkr.ecr.${var.region}.amazonaws.com"
}

output "ecr_repositories" {
  description = "One repository URL per function."
  value       = { for name, repo in aws_ecr_repository.functions : name => repo.repository_url }
}

output "karpenter_node_role" {
  description = "The IAM role of Karpenter's nodes (infra/karpenter/ec2nodeclass.yaml spec.role); empty without Karpenter."
  value       = var.enable_karpenter ? one(module.karpenter[*].node_iam_role_name) : ""
}

output "karpenter_cpu_limit" {
  description = "The NodePool's CPU limit (infra/karpenter/nodepool.yaml spec.limits.cpu)."
  value       = var.karpenter_cpu_limit
}

output "node_architectures" {
  description = "Architectures Karpenter's NodePool allows (kubernetes.io/arch), as JSON."
  value       = jsonencode(var.node_architectures)
}

output "node_capacity_types" {
  description = "Capacity types Karpenter's NodePool allows (karpenter.sh/capacity-type), as JSON."
  value       = jsonencode(var.node_capacity_types)
}

output "broker_class" {
  description = "The Broker class deploy.sh deploys: MTChannelBasedBroker or Kafka."
  value       = var.broker_class
}

output "kafka_bootstrap_servers" {
  description = "MSK's SASL/SCRAM over TLS bootstrap servers (kafka-broker-config bootstrap.servers); empty unless broker_class is Kafka."
  value       = local.kafka ? aws_msk_cluster.events[0].bootstrap_brokers_sasl_scram : ""
}

output "kafka_secret_arn" {
  description = "The Secrets Manager secret with the Broker's SCRAM user and password; deploy.sh copies it into the cluster."
  value       = local.kafka ? aws_secretsmanager_secret.kafka[0].arn : ""
}

output "cost_topic_arn" {
  description = "The SNS topic (us-east-1) the billing alarm notifies; subscribe more endpoints to it as needed."
  value       = aws_sns_topic.cost.arn
}
