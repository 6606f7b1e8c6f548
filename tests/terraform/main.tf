terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
# The session cache of the seed documents, as a Terraform user writes it for AWS;
# only the endpoint points at `ferrocache up`.
variable "endpoint" { type = string }
variable "port" { type = number }

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  endpoints {
    elasticache = var.endpoint
  }
}
resource "aws_elasticache_subnet_group" "sessions" {
  name       = "sessions-subnets"
  subnet_ids = ["subnet-1", "subnet-2"]
}
resource "aws_elasticache_parameter_group" "sessions" {
  name   = "sessions-params"
  family = "redis7"
  parameter {
    name  = "maxmemory-policy"
    value = "allkeys-lru"
  }
}
resource "aws_elasticache_cluster" "sessions" {
  cluster_id           = "tf-sessions"
  engine               = "redis"
  node_type            = "cache.t3.micro"
  num_cache_nodes      = 1
  parameter_group_name = aws_elasticache_parameter_group.sessions.name
  subnet_group_name    = aws_elasticache_subnet_group.sessions.name
  port                 = var.port
  tags = { team = "web" }
}
output "address" { value = aws_elasticache_cluster.sessions.cache_nodes[0].address }
output "port" { value = aws_elasticache_cluster.sessions.cache_nodes[0].port }
