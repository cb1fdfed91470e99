terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    # Karpenter's controller is a Helm chart installed into the cluster this configuration makes.
    helm = {
      source  = "hashicorp/helm"
      version = "~> 2.16"
    }
    # The MSK SCRAM password (kept in Secrets Manager; deploy.sh copies it into the cluster).
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Project = var.name
    }
  }
}

# AWS publishes billing metrics (AWS/Billing EstimatedCharges) in us-east-1 only, whatever region the account
# runs in: the billing alarm and its topic live there.
provider "aws" {
  alias  = "billing"
  region = "us-east-1"
  default_tags {
    tags = {
      Project = var.name
    }
  }
}

# Talks to the new cluster with a token from the aws CLI, so that a plan made before the cluster exists still works.
provider "helm" {
  kubernetes {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", var.region]
    }
  }
}
