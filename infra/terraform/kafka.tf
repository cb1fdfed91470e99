# ---- the durable Broker's Kafka: Amazon MSK (broker_class = "Kafka")
#
# With the default channel-based Broker, events wait in the in-memory channel's dispatcher pod: when that pod
# restarts, every event it held is gone (the gateway's redrive puts quiet jobs back on the road after 11 min).
# Knative's Kafka Broker keeps them in a replicated topic instead. Three brokers, one per private subnet (zone), so
# the topic's three replicas survive a zone; TLS between clients and brokers and among brokers; SASL/SCRAM
# (SHA-512) logins, which Knative's Kafka Broker supports (a Secret with protocol SASL_SSL, sasl.mechanism, user and
# password; MSK's certificates are signed by a public CA, so no ca.crt). MSK's IAM login is not among the
# mechanisms Knative's Kafka Broker documents, so it is not used.

locals {
  kafka = var.broker_class == "Kafka"
}

resource "aws_security_group" "kafka" {
  count       = local.kafka ? 1 : 0
  name        = "${var.name}-kafka"
  description = "MSK brokers of the imageflow Broker: reachable from the cluster's nodes only"
  vpc_id      = module.vpc.vpc_id
}

# SASL/SCRAM over TLS is port 9096; only the nodes' security group (system nodes and Karpenter's alike) may connect,
# so only pods in the cluster can.
resource "aws_vpc_security_group_ingress_rule" "kafka_from_nodes" {
  count                        = local.kafka ? 1 : 0
  security_group_id            = aws_security_group.kafka[0].id
  referenced_security_group_id = module.eks.node_security_group_id
  ip_protocol                  = "tcp"
  from_port                    = 9096
  to_port                      = 9096
  description                  = "SASL/SCRAM over TLS from the EKS nodes"
}

resource "aws_msk_configuration" "events" {
  count          = local.kafka ? 1 : 0
  name           = "${var.name}-events"
  kafka_versions = [var.kafka_version]
  # Knative creates the Broker's topic itself (partitions and replication from infra/components/kafka-broker), so
  # topics are never made by a typo. A write waits for two of the three replicas: one broker down loses nothing
  # and still accepts events.
  server_properties = <<-PROPERTIES
    auto.create.topics.enable=false
    default.replication.factor=3
    min.insync.replicas=2
    unclean.leader.election.enable=false
  PROPERTIES
}

resource "aws_msk_cluster" "events" {
  count                  = local.kafka ? 1 : 0
  cluster_name           = "${var.name}-events"
  kafka_version          = var.kafka_version
  number_of_broker_nodes = length(module.vpc.private_subnets)

  broker_node_group_info {
    instance_type   = var.kafka_instance_type
    client_subnets  = module.vpc.private_subnets
    security_groups = [aws_security_group.kafka[0].id]
    storage_info {
      ebs_storage_info {
        # Events are small (an S3 key and a few attributes) and kept for Kafka's default 7 days: 20 GB a broker is
        # far more than a busy week of them.
        volume_size = 20
      }
    }
  }

  encryption_info {
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  client_authentication {
    sasl {
      scram = true
    }
    unauthenticated = false
  }

  configuration_info {
    arn      = aws_msk_configuration.events[0].arn
    revision = aws_msk_configuration.events[0].latest_revision
  }
}

# ---- the Broker's Kafka login: a SCRAM user MSK reads from Secrets Manager (it requires a customer-managed key and a
# secret name starting AmazonMSK_); deploy.sh copies it into the cluster as the Secret the Broker's config names.

resource "aws_kms_key" "kafka" {
  count                   = local.kafka ? 1 : 0
  description             = "imageflow: MSK SCRAM secret"
  enable_key_rotation     = true
  deletion_window_in_days = 7
}

resource "random_password" "kafka" {
  count   = local.kafka ? 1 : 0
  length  = 32
  special = false
}

resource "aws_secretsmanager_secret" "kafka" {
  count                   = local.kafka ? 1 : 0
  name                    = "AmazonMSK_${var.name}-broker"
  kms_key_id              = aws_kms_key.kafka[0].key_id
  recovery_window_in_days = 0
}

resource "aws_secretsmanager_secret_version" "kafka" {
  count     = local.kafka ? 1 : 0
  secret_id = aws_secretsmanager_secret.kafka[0].id
  secret_string = jsonencode({
    username = "imageflow"
    password = random_password.kafka[0].result
  })
}

# MSK reads the login itself, as the kafka.amazonaws.com service.
resource "aws_secretsmanager_secret_policy" "kafka" {
  count      = local.kafka ? 1 : 0
  secret_arn = aws_secretsmanager_secret.kafka[0].arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AWSKafkaResourcePolicy"
      Effect    = "Allow"
      Principal = { Service = "kafka.amazonaws.com" }
      Action    = "secretsmanager:getSecretValue"
      Resource  = aws_secretsmanager_secret.kafka[0].arn
    }]
  })
}

resource "aws_msk_scram_secret_association" "kafka" {
  count           = local.kafka ? 1 : 0
  cluster_arn     = aws_msk_cluster.events[0].arn
  secret_arn_list = [aws_secretsmanager_secret.kafka[0].arn]
  depends_on      = [aws_secretsmanager_secret_version.kafka]
}
