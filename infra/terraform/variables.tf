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
  description = "Instance types of the system node group (Knative's control plane, Kourier, Redis, the gateway, Karpenter). Effects are CPU-bound: compute-optimised types fit, and effects land here too while there is room."
  type        = list(string)
  default     = ["c6i.xlarge"]
}

variable "node_min_size" {
  description = "Fewest system nodes. Knative scales pods to zero; these nodes stay for Knative's own components and Redis."
  type        = number
  default     = 2
}

variable "node_max_size" {
  description = "Most system nodes. Nothing scales this group by itself (a managed node group only has the size it is told): with Karpenter, bursts get nodes of their own (karpenter_cpu_limit bounds them); without it, this is only an upper bound for a hand-made change of node_desired_size."
  type        = number
  default     = 3
}

variable "node_desired_size" {
  description = "System nodes at creation."
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

# ---- node autoscaling (karpenter.tf, infra/karpenter/)

variable "enable_karpenter" {
  description = "Install Karpenter, which adds nodes for Pending pods (an effect scaled past what the system nodes hold) and removes them once empty. false: the system node group is all there is, and pods beyond it stay Pending."
  type        = bool
  default     = true
}

variable "karpenter_version" {
  description = "Karpenter's Helm chart version (1.x: the v1 NodePool API of infra/karpenter/); it must support kubernetes_version."
  type        = string
  default     = "1.1.1"
}

variable "karpenter_cpu_limit" {
  description = "Most vCPU Karpenter's nodes may have together: the cost ceiling of a burst. Every effect at its max-scale asks about 21 CPU; the default leaves room for imperfect packing."
  type        = number
  default     = 32
}

variable "node_architectures" {
  description = "CPU architectures of Karpenter's nodes. amd64 only while the images are amd64 only; add arm64 (Graviton, about 20 % cheaper) once the effects and gateway images are multi-arch, or arm64 nodes would crash-loop them."
  type        = list(string)
  default     = ["amd64"]
  validation {
    condition     = length(var.node_architectures) > 0 && alltrue([for a in var.node_architectures : contains(["amd64", "arm64"], a)])
    error_message = "node_architectures is a non-empty list of amd64 and arm64."
  }
}

variable "node_capacity_types" {
  description = "Capacity types of Karpenter's nodes: [\"on-demand\"], or [\"spot\", \"on-demand\"] to let it take spot (cheaper; a reclaimed node's steps are retried by the Broker)."
  type        = list(string)
  default     = ["on-demand"]
  validation {
    condition     = length(var.node_capacity_types) > 0 && alltrue([for c in var.node_capacity_types : contains(["spot", "on-demand"], c)])
    error_message = "node_capacity_types is a non-empty list of spot and on-demand."
  }
}

# ---- the Broker (kafka.tf, infra/components/kafka-broker)

variable "broker_class" {
  description = "The Knative Broker's class. MTChannelBasedBroker: the in-memory channel, nothing more to pay, events in flight lost when its dispatcher pod restarts. Kafka: Knative's Kafka Broker on an MSK cluster made here (three brokers), events kept in a replicated topic. deploy.sh follows this setting."
  type        = string
  default     = "MTChannelBasedBroker"
  validation {
    condition     = contains(["MTChannelBasedBroker", "Kafka"], var.broker_class)
    error_message = "broker_class is MTChannelBasedBroker or Kafka."
  }
}

variable "kafka_version" {
  description = "Apache Kafka version of the MSK cluster (broker_class = \"Kafka\")."
  type        = string
  default     = "3.6.0"
}

variable "kafka_instance_type" {
  description = "MSK broker instance type; three of them. kafka.t3.small carries imageflow's events (a few hundred bytes each) with room to spare; kafka.m7g.large for sustained heavy traffic."
  type        = string
  default     = "kafka.t3.small"
}

# ---- cost (cost.tf)

variable "alert_emails" {
  description = "Addresses the billing alarm and the budget mail (each must confirm the SNS subscription once). Empty: the alarm still shows in CloudWatch, the budget in the Budgets console, but nobody is told."
  type        = list(string)
  default     = []
}

variable "monthly_cost_alarm_usd" {
  description = "The billing alarm fires when the month's estimated charges for the whole account pass this many USD. Idle, the defaults cost about 360 USD a month (control plane, two c6i.xlarge system nodes, NAT gateway), about 470 with MSK."
  type        = number
  default     = 600
}

variable "monthly_budget_usd" {
  description = "The monthly budget in USD: mail at 80 % spent and when the month is forecast to end above it. Set it to what this account should cost; the default is the idle cost with MSK and room for bursts."
  type        = number
  default     = 500
}
