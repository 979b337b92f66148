# UpdateTable: billing mode, provisioned throughput (and its decrease budget), deletion
# protection, table class, encryption and the stream specification, one change per call,
# and DynamoDB's answer to each kind of mistake (issue 2; indexes are tested with them).
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite, tier1/updateTable.
#   ack-quirks  - ack-api-quirks DynamoDB findings (DDB-TABLE-nnn), probed on AWS 2026-10.
#   dynalite    - architect/dynalite test/updateTable.js, recorded from DynamoDB.
#   scylla      - scylladb test/alternator (test_tableclass.py), run against DynamoDB.

import datetime
import time

import pytest

from util import assert_error, unique_table_name

HASH_P = [{"AttributeName": "p", "KeyType": "HASH"}]
DEF_P = [{"AttributeName": "p", "AttributeType": "S"}]
WAIT = {"Delay": 1, "MaxAttempts": 300}
INVALID = "One or more parameter values were invalid: "


def make_table(client, **kwargs):
    name = unique_table_name()
    if "ProvisionedThroughput" not in kwargs:
        kwargs.setdefault("BillingMode", "PAY_PER_REQUEST")
    client.create_table(TableName=name, KeySchema=HASH_P, AttributeDefinitions=DEF_P, **kwargs)
    wait_active(client, name)
    return name


def wait_active(client, name):
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig=WAIT)


def describe(client, name):
    return client.describe_table(TableName=name)["Table"]


@pytest.fixture(scope="module")
def provisioned(client):
    """A PROVISIONED 5/5 table that the tests of this module never change."""
    name = make_table(client, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    yield name
    client.delete_table(TableName=name)


@pytest.fixture
def fresh_provisioned(client):
    name = make_table(client, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    yield name
    wait_active(client, name)
    client.delete_table(TableName=name)


@pytest.fixture
def fresh_on_demand(client):
    name = make_table(client)
    yield name
    wait_active(client, name)
    if describe(client, name)["DeletionProtectionEnabled"]:
        client.update_table(TableName=name, DeletionProtectionEnabled=False)
    client.delete_table(TableName=name)


# ---------------------------------------------------------------- provisioned throughput

# A throughput change answers with the table UPDATING, the OLD capacities and the time of
# the increase; once ACTIVE the new capacities show. A decrease sets LastDecreaseDateTime
# and, once applied, counts in NumberOfDecreasesToday (the response still shows the old
# count). Sources: conformance tier1/updateTable ("changes provisioned throughput",
# "DescribeTable reflects updated throughput values"); dynalite "should triple rates and
# then reduce"; ack-quirks DDB-TABLE-058/-370.
def test_update_table_changes_throughput(client, fresh_provisioned):
    name = fresh_provisioned
    before = describe(client, name)
    got = client.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 20, "WriteCapacityUnits": 15})
    got = got["TableDescription"]
    assert got["TableStatus"] == "UPDATING"
    assert (got["ProvisionedThroughput"]["ReadCapacityUnits"], got["ProvisionedThroughput"]["WriteCapacityUnits"]) == (5, 5)
    assert got["ProvisionedThroughput"]["LastIncreaseDateTime"] >= before["CreationDateTime"]
    wait_active(client, name)
    throughput = describe(client, name)["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (20, 15)
    assert throughput["NumberOfDecreasesToday"] == 0

    got = client.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 20, "WriteCapacityUnits": 10})
    throughput = got["TableDescription"]["ProvisionedThroughput"]
    assert (throughput["WriteCapacityUnits"], throughput["NumberOfDecreasesToday"]) == (15, 0)
    assert "LastDecreaseDateTime" in throughput
    wait_active(client, name)
    throughput = describe(client, name)["ProvisionedThroughput"]
    assert (throughput["WriteCapacityUnits"], throughput["NumberOfDecreasesToday"]) == (10, 1)


# Re-sending the current throughput is refused, with or without BillingMode=PROVISIONED.
# Sources: conformance tier1/updateTable ("rejects PROVISIONED to PROVISIONED no-op");
# ack-quirks DDB-TABLE-057 and DDB-TABLE-442 (full text); dynalite.
@pytest.mark.parametrize("billing", [{}, {"BillingMode": "PROVISIONED"}])
def test_update_table_rejects_unchanged_throughput(client, provisioned, billing):
    with assert_error("ValidationException", "The provisioned throughput for the table will not change. The "
                      "requested value equals the current value. Current ReadCapacityUnits provisioned for the table: "
                      "5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. "
                      "Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for current "
                      "limits and how to request higher limits."):
        client.update_table(TableName=provisioned, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
                            **billing)


# Capacities below 1 are shape errors, reported even for a missing table (validation
# comes before the existence check). Sources: conformance tier1/updateTable ("rejects
# invalid throughput values"); ack-quirks DDB-TABLE-058/-070.
@pytest.mark.parametrize("table", ["provisioned", "missing"])
def test_update_table_rejects_capacity_below_one(unchecked_client, request, table):
    name = request.getfixturevalue("provisioned") if table == "provisioned" else "no_such_table_xyz"
    with assert_error("ValidationException", "1 validation error detected: Value '0' at "
                      "'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value "
                      "greater than or equal to 1"):
        unchecked_client.update_table(TableName=name,
                                      ProvisionedThroughput={"ReadCapacityUnits": 0, "WriteCapacityUnits": 5})


# ProvisionedThroughput with PAY_PER_REQUEST - asked for in the request, or the table's
# mode - is refused; BillingMode=PROVISIONED needs ProvisionedThroughput. Sources:
# conformance tier1/updateTable ("rejects PAY_PER_REQUEST with ProvisionedThroughput");
# ack-quirks DDB-TABLE-057/-059 (texts); dynalite.
def test_update_table_pay_per_request_refuses_throughput(client, provisioned, table_s):
    message = (INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
               "PAY_PER_REQUEST")
    throughput = {"ReadCapacityUnits": 7, "WriteCapacityUnits": 7}
    with assert_error("ValidationException", message):
        client.update_table(TableName=provisioned, BillingMode="PAY_PER_REQUEST", ProvisionedThroughput=throughput)
    with assert_error("ValidationException", message):
        client.update_table(TableName=table_s.name, ProvisionedThroughput=throughput)


def test_update_table_provisioned_requires_throughput(client, provisioned, table_s):
    for name in (provisioned, table_s.name):
        with assert_error("ValidationException",
                          INVALID + "ProvisionedThroughput must be specified when BillingMode is PROVISIONED"):
            client.update_table(TableName=name, BillingMode="PROVISIONED")


# Above the account's per-table maximum (40000 by default): LimitExceededException (see
# test_create_table.py for the source of the text). Depends on the account's quota.
def test_update_table_rejects_capacity_above_table_maximum(client, provisioned):
    region = client.meta.region_name
    with assert_error("LimitExceededException", f"The requested WriteCapacityUnits, 40001, is above the per table "
                      f"maximum for the account in {region}. Per table maximum: 40000."):
        client.update_table(TableName=provisioned,
                            ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 40001})


# Four decreases per UTC day, then at most one per hour after the last one: the fifth is
# LimitExceededException naming the count and both times. Source: ack-quirks
# DDB-TABLE-184 (text observed 2026-10-09, "Friday, October 9, 2026 at 12:21:34 AM
# Coordinated Universal Time"); the same text in earlier reports (2023). (May fail
# against AWS within an hour of 00:00 UTC.)
def test_update_table_limits_decreases(client):
    name = make_table(client, ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 10})
    try:
        for read in (9, 8, 7, 6):
            client.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": read, "WriteCapacityUnits": 10})
            wait_active(client, name)
        throughput = describe(client, name)["ProvisionedThroughput"]
        assert throughput["NumberOfDecreasesToday"] == 4
        last = throughput["LastDecreaseDateTime"].astimezone(datetime.timezone.utc).replace(microsecond=0)

        def text(moment):
            return f"{moment:%A}, {moment:%B} {moment.day}, {moment.year} at {moment.hour % 12 or 12}:" \
                   f"{moment:%M:%S} {'AM' if moment.hour < 12 else 'PM'} Coordinated Universal Time"

        with assert_error("LimitExceededException", "Subscriber limit exceeded: Provisioned throughput decreases are "
                          "limited within a given UTC day. After the first 4 decreases, each subsequent decrease in the "
                          "same UTC day can be performed at most once every 3600 seconds. Number of decreases today: 4. "
                          f"Last decrease at {text(last)}. Next decrease can be made at "
                          f"{text(last + datetime.timedelta(hours=1))}"):
            client.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 10})
        # an increase is still allowed
        client.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 6, "WriteCapacityUnits": 11})
        wait_active(client, name)
    finally:
        client.delete_table(TableName=name)


# ---------------------------------------------------------------- billing mode

# Re-sending PAY_PER_REQUEST is accepted: the response says UPDATING, the table stays on
# demand and ACTIVE. Sources: conformance tier1/updateTable ("accepts PAY_PER_REQUEST to
# PAY_PER_REQUEST no-op"); ack-quirks DDB-TABLE-156.
def test_update_table_pay_per_request_again(client, table_s):
    got = client.update_table(TableName=table_s.name, BillingMode="PAY_PER_REQUEST")["TableDescription"]
    assert got["TableStatus"] == "UPDATING"
    wait_active(client, table_s.name)
    table = describe(client, table_s.name)
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


# PROVISIONED -> PAY_PER_REQUEST answers UPDATING with the new mode (no date yet) and 0/0
# capacity; once ACTIVE the summary has LastUpdateToPayPerRequestDateTime. Back to
# PROVISIONED takes the given capacity, and the summary keeps the date of the last switch
# to on demand. Slow on AWS (minutes). Sources: conformance tier1/updateTable (switches
# both ways); ack-quirks DDB-TABLE-064, -056, -058 (summary after switching back).
def test_update_table_switches_billing_mode(client, fresh_provisioned):
    name = fresh_provisioned
    got = client.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")["TableDescription"]
    assert got["TableStatus"] == "UPDATING"
    assert got["BillingModeSummary"] == {"BillingMode": "PAY_PER_REQUEST"}
    assert (got["ProvisionedThroughput"]["ReadCapacityUnits"], got["ProvisionedThroughput"]["WriteCapacityUnits"]) == (0, 0)
    wait_active(client, name)
    table = describe(client, name)
    switched = table["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert switched >= table["CreationDateTime"]

    client.update_table(TableName=name, BillingMode="PROVISIONED",
                        ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4})
    wait_active(client, name)
    table = describe(client, name)
    assert table["BillingModeSummary"] == {"BillingMode": "PROVISIONED", "LastUpdateToPayPerRequestDateTime": switched}
    assert (table["ProvisionedThroughput"]["ReadCapacityUnits"], table["ProvisionedThroughput"]["WriteCapacityUnits"]) == (3, 4)


# ---------------------------------------------------------------- what may be updated

# A request that changes nothing: DynamoDB lists what it could have changed (AttributeDefinitions
# alone does not count). Source: ack-quirks DDB-TABLE-442 (text observed in two regions),
# DDB-TABLE-047/-358.
@pytest.mark.parametrize("extra", [{}, {"AttributeDefinitions": DEF_P}])
def test_update_table_requires_a_change(client, table_s, extra):
    with assert_error("ValidationException", "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                      "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, "
                      "ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, "
                      "WarmThroughput or TableClass is required"):
        client.update_table(TableName=table_s.name, **extra)


# One kind of change per call: encryption, table class and deletion protection must each be
# alone (checked in that order), and a stream cannot change with the capacity. Source:
# ack-quirks DDB-TABLE-442 (texts), -382/-433 (precedence), -156 (DP with BillingMode).
@pytest.mark.parametrize("changes, message", [
    ({"SSESpecification": {"Enabled": True}, "DeletionProtectionEnabled": True},
     "Server-Side Encryption modification must be the only operation in the request"),
    ({"SSESpecification": {"Enabled": True}, "TableClass": "STANDARD_INFREQUENT_ACCESS"},
     "Server-Side Encryption modification must be the only operation in the request"),
    ({"TableClass": "STANDARD_INFREQUENT_ACCESS", "DeletionProtectionEnabled": True},
     "TableClass modification must be the only operation in the request"),
    ({"DeletionProtectionEnabled": True, "BillingMode": "PAY_PER_REQUEST"},
     "DeletionProtection modification must be the only operation in the request"),
    ({"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
      "ProvisionedThroughput": {"ReadCapacityUnits": 6, "WriteCapacityUnits": 6}},
     "You cannot modify stream status while updating table IOPS"),
])
def test_update_table_one_change_per_call(client, provisioned, changes, message):
    with assert_error("ValidationException", INVALID + message):
        client.update_table(TableName=provisioned, **changes)
    assert describe(client, provisioned)["DeletionProtectionEnabled"] is False


# Sources: conformance tier1/updateTable and ack-quirks DDB-TABLE-070 (missing table text);
# dynalite test/updateTable.js (missing TableName).
def test_update_table_missing_table(client):
    with assert_error("ResourceNotFoundException", "Requested resource not found: Table: no_such_table_xyz not found"):
        client.update_table(TableName="no_such_table_xyz",
                            ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 10})


def test_update_table_requires_name(unchecked_client):
    with assert_error("ValidationException",
                      "The parameter 'TableName' is required but was not present in the request"):
        unchecked_client.update_table(BillingMode="PAY_PER_REQUEST")


# ---------------------------------------------------------------- protection, class, encryption, stream

# Deletion protection changes at once: the response is ACTIVE with the new value, and a
# same-value re-send is accepted. Source: ack-quirks DDB-TABLE-017/-047/-410.
def test_update_table_deletion_protection(client, fresh_on_demand):
    name = fresh_on_demand
    got = client.update_table(TableName=name, DeletionProtectionEnabled=True)["TableDescription"]
    assert got["TableStatus"] == "ACTIVE"
    assert got["DeletionProtectionEnabled"] is True
    assert describe(client, name)["DeletionProtectionEnabled"] is True
    got = client.update_table(TableName=name, DeletionProtectionEnabled=False)["TableDescription"]
    assert got["DeletionProtectionEnabled"] is False


# OnDemandThroughput: each member given sets that maximum or, with -1, removes it; the
# other member stays. The response shows the result with the removed members as -1 and
# the table stays ACTIVE; DescribeTable shows only the maxima set (no struct when none
# is). On AWS a removed member can still read -1 for about a second, hence the wait.
# Limits: 0 and -2 are out of range, and a provisioned table takes none (its message says
# "the table" and has no full stop, unlike CreateTable's). Sources: conformance
# tier1/updateTable config ("UpdateTable changes OnDemandThroughput"); ack-quirks
# DDB-TABLE-051, -178 and -182 (merge, -1, what each response and description shows),
# DDB-TABLE-059 (the provisioned message).
def settled_on_demand(client, name):
    for _ in range(20):
        shown = describe(client, name).get("OnDemandThroughput")
        if not shown or -1 not in shown.values():
            return shown
        time.sleep(0.5)
    return shown


def test_update_table_on_demand_maxima(client, fresh_on_demand):
    name = fresh_on_demand
    got = client.update_table(TableName=name, OnDemandThroughput={"MaxReadRequestUnits": 1000,
                                                                   "MaxWriteRequestUnits": 500})["TableDescription"]
    assert got["TableStatus"] == "ACTIVE"
    assert got["OnDemandThroughput"] == {"MaxReadRequestUnits": 1000, "MaxWriteRequestUnits": 500}
    got = client.update_table(TableName=name, OnDemandThroughput={"MaxReadRequestUnits": 2000})["TableDescription"]
    assert got["OnDemandThroughput"] == {"MaxReadRequestUnits": 2000, "MaxWriteRequestUnits": 500}
    assert settled_on_demand(client, name) == {"MaxReadRequestUnits": 2000, "MaxWriteRequestUnits": 500}
    got = client.update_table(TableName=name, OnDemandThroughput={"MaxReadRequestUnits": -1})["TableDescription"]
    assert got["OnDemandThroughput"] == {"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": 500}
    assert settled_on_demand(client, name) == {"MaxWriteRequestUnits": 500}
    got = client.update_table(TableName=name, OnDemandThroughput={"MaxWriteRequestUnits": -1})["TableDescription"]
    assert got["OnDemandThroughput"] == {"MaxWriteRequestUnits": -1}
    assert settled_on_demand(client, name) is None
    got = client.update_table(TableName=name, OnDemandThroughput={"MaxReadRequestUnits": -1,
                                                                   "MaxWriteRequestUnits": -1})["TableDescription"]
    assert got["OnDemandThroughput"] == {"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": -1}
    assert settled_on_demand(client, name) is None


@pytest.mark.parametrize("given, member", [
    ({"MaxWriteRequestUnits": 0}, "MaxWriteRequestUnits"),
    ({"MaxReadRequestUnits": -2}, "MaxReadRequestUnits"),
])
def test_update_table_refuses_on_demand_maxima_out_of_range(client, table_s, given, member):
    with assert_error("ValidationException",
                      INVALID + f"Requested {member} for OnDemandThroughput for table is outside of valid range"):
        client.update_table(TableName=table_s.name, OnDemandThroughput=given)


def test_update_table_refuses_on_demand_maxima_for_provisioned_tables(client, provisioned):
    with assert_error("ValidationException", INVALID + "MaxReadRequestUnits for OnDemandThroughput cannot be "
                                                       "specified when the table BillingMode is PROVISIONED"):
        client.update_table(TableName=provisioned, OnDemandThroughput={"MaxReadRequestUnits": 100})


# Changing the table class answers UPDATING with the old (absent) summary; once ACTIVE,
# TableClassSummary has the class and LastUpdateDateTime. STANDARD on a table whose class
# was never set changes nothing (no summary). Unknown classes are refused in DynamoDB's
# words. Sources: scylla test_tableclass.py (update, LastUpdateDateTime, 'junk');
# ack-quirks DDB-TABLE-283/-284.
def test_update_table_table_class(client, fresh_on_demand):
    name = fresh_on_demand
    got = client.update_table(TableName=name, TableClass="STANDARD")["TableDescription"]
    assert "TableClassSummary" not in got
    wait_active(client, name)
    assert "TableClassSummary" not in describe(client, name)
    got = client.update_table(TableName=name, TableClass="STANDARD_INFREQUENT_ACCESS")["TableDescription"]
    assert got["TableStatus"] == "UPDATING"
    assert "TableClassSummary" not in got
    wait_active(client, name)
    summary = describe(client, name)["TableClassSummary"]
    assert summary["TableClass"] == "STANDARD_INFREQUENT_ACCESS"
    assert "LastUpdateDateTime" in summary


def test_update_table_rejects_unknown_table_class(client, table_s):
    with assert_error("ValidationException", "Invalid table-class parameter provided. Please try again with a valid "
                      "table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS]."):
        client.update_table(TableName=table_s.name, TableClass="junk")


# Turning off encryption that is the default is refused. Source: ack-quirks DDB-TABLE-047.
def test_update_table_sse_already_default(client, table_s):
    with assert_error("ValidationException", INVALID + "Table is already encrypted by default"):
        client.update_table(TableName=table_s.name, SSESpecification={"Enabled": False})


# Stream specification rules: disabling a stream that is not there, enabling without a
# view type. Source: ack-quirks DDB-TABLE-050 and the DDB-TABLE-442 catalogue.
def test_update_table_stream_rules(client, table_s):
    with assert_error("ValidationException", f"Table has no stream to disable: TableName: {table_s.name}"):
        client.update_table(TableName=table_s.name, StreamSpecification={"StreamEnabled": False})
    with assert_error("ValidationException", INVALID + "If stream is being enabled then UpdateViewType is required"):
        client.update_table(TableName=table_s.name, StreamSpecification={"StreamEnabled": True})
