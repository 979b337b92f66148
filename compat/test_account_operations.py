# DescribeLimits and DescribeEndpoints through boto3: account-level operations that take no
# member and name no table.
#
# Sources named below:
#   cli-examples - the AWS CLI's examples for describe-limits and describe-endpoints
#                  (awscli/examples/dynamodb/*.rst, output recorded from AWS).
#   api-ref      - API reference, DescribeLimits / DescribeEndpoints / Endpoint.


# The four quotas, as positive integers; an account that asked for nothing more has
# 80000 per account and 40000 per table in each dimension (cli-examples
# describe-limits). The per-table maximum is never above the account's.
def test_describe_limits_reports_four_quotas(client):
    response = client.describe_limits()
    for member in ("AccountMaxReadCapacityUnits", "AccountMaxWriteCapacityUnits",
                   "TableMaxReadCapacityUnits", "TableMaxWriteCapacityUnits"):
        assert isinstance(response[member], int) and response[member] > 0
    assert response["TableMaxReadCapacityUnits"] <= response["AccountMaxReadCapacityUnits"]
    assert response["TableMaxWriteCapacityUnits"] <= response["AccountMaxWriteCapacityUnits"]


# Endpoints is one regional address "dynamodb.<region>.amazonaws.com", cached for 1440
# minutes (cli-examples describe-endpoints; api-ref Endpoint: Address and
# CachePeriodInMinutes both required).
def test_describe_endpoints_names_the_regional_endpoint(client):
    endpoints = client.describe_endpoints()["Endpoints"]
    region = client.meta.region_name
    assert endpoints == [{"Address": f"dynamodb.{region}.amazonaws.com", "CachePeriodInMinutes": 1440}]
