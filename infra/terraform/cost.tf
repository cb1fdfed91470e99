# ---- cost visible: a billing alarm and a budget, both mailed to alert_emails
#
# Knative scales effects to zero and Karpenter removes their nodes, so an idle deployment costs the system nodes,
# the NAT gateway, the control plane and (with broker_class = "Kafka") MSK. These say when the month's bill goes past
# what was expected: a stuck burst, a forgotten load test, a spot price that is not one.

# Billing metrics live in us-east-1 (provider aws.billing), and only once "Receive Billing Alerts" is on in the
# account's billing preferences (see README).
resource "aws_sns_topic" "cost" {
  provider = aws.billing
  name     = "${var.name}-cost"
}

resource "aws_sns_topic_subscription" "cost_email" {
  provider  = aws.billing
  for_each  = toset(var.alert_emails)
  topic_arn = aws_sns_topic.cost.arn
  protocol  = "email"
  endpoint  = each.value
}

# The month's estimated charges so far, for the whole account (billing metrics have no per-tag dimension): AWS
# updates them a few times a day, so a 6-hour period loses nothing.
resource "aws_cloudwatch_metric_alarm" "estimated_charges" {
  provider            = aws.billing
  alarm_name          = "${var.name}-estimated-charges"
  alarm_description   = "This month's estimated AWS charges are above ${var.monthly_cost_alarm_usd} USD"
  namespace           = "AWS/Billing"
  metric_name         = "EstimatedCharges"
  dimensions          = { Currency = "USD" }
  statistic           = "Maximum"
  period              = 21600
  evaluation_periods  = 1
  threshold           = var.monthly_cost_alarm_usd
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.cost.arn]
}

# A monthly budget: mail at 80 % of it spent, and when the forecast says the month will end above it (which a
# burst left running shows days before the alarm above does).
resource "aws_budgets_budget" "monthly" {
  name         = "${var.name}-monthly"
  budget_type  = "COST"
  limit_amount = tostring(var.monthly_budget_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  dynamic "notification" {
    for_each = length(var.alert_emails) > 0 ? { ACTUAL = 80, FORECASTED = 100 } : {}
    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value
      threshold_type             = "PERCENTAGE"
      notification_type          = notification.key
      subscriber_email_addresses = var.alert_emails
    }
  }
}
