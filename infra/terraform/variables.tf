variable "name" {
  description = "Prefix of every resource: cluster, bucket, role and repositories."
  type        = string
  default     = "imageflow"
}

variable "region" {
  description = "AWS region (seed 001 ran in us-east-2)."
  type        = string
  default     = "us-east-2"
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version; Knative 1.17 supports 1.30 and later."
  type        = string
  default     = "1.31"
}

variable "node_instance_types" {
  description = "Instance types of the managed node group. Effects are CPU-bound: compute-optimised types fit."
  type        = list(string)
  default     = ["c6i.xlarge"]
}

variable "node_min_size" {
  description = "Fewest nodes. Knative scales pods to zero; nodes stay for Knative's own components and Redis."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Most nodes; bounds the cost of a burst (each effect's max-scale bounds its pods)."
  type        = number
  default     = 6
}

variable "node_desired_size" {
  description = "Nodes at creation."
  type        = number
  default     = 2
}

variable "object_expiration_days" {
  description = "Originals and results are deleted from the bucket after this many days (job records expire in Redis after 24 h)."
  type        = number
  default     = 7
}

variable "force_destroy" {
  description = "Let terraform destroy delete a non-empty bucket and repositories with images. Keep false for real data."
  type        = bool
  default     = false
}
