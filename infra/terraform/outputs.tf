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
