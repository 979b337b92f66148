# TagResource / UntagResource / ListTagsOfResource, tags given to CreateTable, and the
# rules for ARNs, keys and values (issue 2).
#
# Real DynamoDB applies tag writes asynchronously (ListTagsOfResource shows the change
# 1-3 s later) and locks a table's tags for ~1.5 s after a write; wait_for_tags below
# polls until a change is visible before the next write, as scylla's test_tag.py does.
# Against the emulator the first poll already sees it.
#
# Sources named below:
#   conformance - the public DynamoDB conformance suite, tier2/tags.
#   ack-quirks  - ack-api-quirks DynamoDB findings (DDB-TABLE-nnn), probed on AWS 2026-10.
#   scylla      - scylladb test/alternator/test_tag.py, run against DynamoDB.

import time

import pytest

from util import assert_error, new_table, random_string

HASH_P = [{"AttributeName": "p", "KeyType": "HASH"}]
DEF_P = [{"AttributeName": "p", "AttributeType": "S"}]
INVALID = "One or more parameter values were invalid: "


def as_dict(tags):
    return {tag["Key"]: tag["Value"] for tag in tags}


def wait_for_tags(client, arn, expected, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        got = as_dict(client.list_tags_of_resource(ResourceArn=arn)["Tags"])
        if got == expected or time.monotonic() > deadline:
            assert got == expected
            return
        time.sleep(0.2)


@pytest.fixture
def tagged(dynamodb):
    """A fresh table created with two tags; yields (client, arn)."""
    with new_table(dynamodb, KeySchema=HASH_P, AttributeDefinitions=DEF_P,
                   Tags=[{"Key": "env", "Value": "test"}, {"Key": "team", "Value": ""}]) as table:
        client = dynamodb.meta.client
        yield client, client.describe_table(TableName=table.name)["Table"]["TableArn"]


@pytest.fixture(scope="module")
def arn(client, table_s):
    return client.describe_table(TableName=table_s.name)["Table"]["TableArn"]


# Tags given to CreateTable are listed (an empty value included); TagResource adds and
# overwrites (upsert), UntagResource removes and ignores keys that are not there, and a
# table with no tags lists []. Sources: conformance tier2/tags (add, list, overwrite,
# untag); scylla test_list_tags_from_creation, test_tag_resource_basic,
# test_tag_resource_overwrite, test_empty_tag_value; ack-quirks DDB-TABLE-105/-106.
def test_tags_round_trip(tagged):
    client, arn = tagged
    wait_for_tags(client, arn, {"env": "test", "team": ""})
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "production"},
                                               {"Key": "sp ace", "Value": "a b+c-d=e.f_g:h/i@j"}])
    wait_for_tags(client, arn, {"env": "production", "team": "", "sp ace": "a b+c-d=e.f_g:h/i@j"})
    client.untag_resource(ResourceArn=arn, TagKeys=["team", "never-there"])
    wait_for_tags(client, arn, {"env": "production", "sp ace": "a b+c-d=e.f_g:h/i@j"})
    client.untag_resource(ResourceArn=arn, TagKeys=["env", "sp ace"])
    wait_for_tags(client, arn, {})
    assert client.list_tags_of_resource(ResourceArn=arn)["Tags"] == []


# Keys and values may be letters of any script, digits, spaces and + - = . _ : / @; keys
# are case-sensitive; the longest key is 128 characters and the longest value 256. Sources:
# ack-quirks DDB-TABLE-106/-372; scylla test_tag_key_length_128_allowed,
# test_tag_value_length_256_allowed.
def test_tags_allowed_characters_and_lengths(tagged):
    client, arn = tagged
    wait_for_tags(client, arn, {"env": "test", "team": ""})
    tags = {"Env": "ключ café 表", "k" * 128: "v" * 256}
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])
    wait_for_tags(client, arn, {"env": "test", "team": "", **tags})


# Malformed ARNs, wrong kinds of resource, other accounts and regions. Sources:
# conformance tier2/tags ('not-a-valid-arn' is ValidationException; another account's
# table ARN is AccessDeniedException); ack-quirks DDB-TABLE-071 (texts: 'arn:' prefix,
# bare table name, "Access is denied"), DDB-TABLE-442 (other region, index ARN, not a
# DynamoDB resource), DDB-BACKUP-013 (backup ARN); scylla test_tag_lsi_gsi.
@pytest.mark.parametrize("make_arn, code, message", [
    (lambda arn: "not-a-valid-arn", "ValidationException", INVALID + "ARNs must start with 'arn:': not-a-valid-arn"),
    (lambda arn: arn.split("/")[-1], "ValidationException", INVALID + "ARNs must start with 'arn:': {arn}"),
    (lambda arn: arn + "/index/gsi1", "ValidationException",
     INVALID + "Invalid resource arn provided, only table or stream is accepted. Provided resource arn: {arn}"),
    (lambda arn: arn + "/backup/01700000000000-abcdef12", "ValidationException",
     INVALID + "Provided Arn is not a DynamoDB resource arn: {arn}"),
    (lambda arn: arn.replace(":dynamodb:", ":sqs:"), "ValidationException",
     INVALID + "Provided Arn is not a DynamoDB resource arn: {arn}"),
    (lambda arn: arn.replace(f":{arn.split(':')[3]}:", ":eu-north-1:" if ":eu-north-1:" not in arn else ":us-west-2:"),
     "ValidationException", "Invalid TableArn: Invalid ResourceArn provided as input {arn}"),
    (lambda arn: arn.replace(f":{arn.split(':')[4]}:", ":111111111111:" if ":111111111111:" not in arn
                             else ":222222222222:"),
     "AccessDeniedException", "Access is denied"),
])
def test_tags_resource_arn_rules(client, arn, make_arn, code, message):
    bad = make_arn(arn)
    message = message.format(arn=bad)
    with assert_error(code, message):
        client.list_tags_of_resource(ResourceArn=bad)
    with assert_error(code, message):
        client.tag_resource(ResourceArn=bad, Tags=[{"Key": "k", "Value": "v"}])
    with assert_error(code, message):
        client.untag_resource(ResourceArn=bad, TagKeys=["k"])


# The ARN of a table that does not exist, in the caller's own account and region:
# ResourceNotFoundException naming the ARN. Sources: ack-quirks DDB-TABLE-070 (2026
# text); turbot/steampipe-plugin-aws issue 1516 and cloud-custodian issue 3514 (same
# message, older "ResourcArn" spelling); scylla test_tag_resource_subtly_incorrect_arn.
def test_tags_missing_table(client, arn):
    missing = arn + "x" + random_string(5)
    message = f"Requested resource not found: ResourceArn: {missing} not found"
    with assert_error("ResourceNotFoundException", message):
        client.list_tags_of_resource(ResourceArn=missing)
    with assert_error("ResourceNotFoundException", message):
        client.tag_resource(ResourceArn=missing, Tags=[{"Key": "k", "Value": "v"}])
    with assert_error("ResourceNotFoundException", message):
        client.untag_resource(ResourceArn=missing, TagKeys=["k"])


# Invalid tags are refused whole, with DynamoDB's own messages (not the Coral shape
# texts), before the table is looked at. Sources: ack-quirks DDB-TABLE-105/-106/-107/-372
# (texts; all-or-nothing); scylla test_tag_key_length_129_forbidden,
# test_tag_value_length_257_forbidden, test_tag_forbidden_chars, test_empty_tag_key,
# test_missing_tag_value.
@pytest.mark.parametrize("tags, message", [
    ([], "Atleast one Tag needs to be provided as Input."),
    ([{"Key": "k" * 129, "Value": "v"}], "The Tag Key provided is invalid, Key: " + "k" * 129),
    ([{"Key": "k", "Value": "v" * 257}], "The Tag Value provided is invalid, Value: " + "v" * 257),
    ([{"Key": "bad#char", "Value": "v"}], "The Tag Key provided is invalid, Key: bad#char"),
    ([{"Key": "k", "Value": "100%"}], "The Tag Value provided is invalid, Value: 100%"),
    ([{"Key": "aws:foo", "Value": "v"}], "Tag Key cannot be prefixed with aws:, Key: aws:foo"),
    ([{"Key": "AWS:foo", "Value": "v"}], "Tag Key cannot be prefixed with aws:, Key: AWS:foo"),
    ([{"Key": "dup", "Value": "1"}, {"Key": "dup", "Value": "2"}],
     "Duplicate Tag Keys provided as input: Duplicate Tag Key found dup"),
    ([{"Key": "good", "Value": "v"}, {"Key": "k" * 129, "Value": "v"}],
     "The Tag Key provided is invalid, Key: " + "k" * 129),
])
def test_tags_rejects_invalid_tags(client, arn, tags, message):
    with assert_error("ValidationException", message):
        client.tag_resource(ResourceArn=arn, Tags=tags)
    assert "good" not in as_dict(client.list_tags_of_resource(ResourceArn=arn)["Tags"])


# Shapes botocore will not send itself: an empty key, a missing key or value. Source:
# ack-quirks DDB-TABLE-107/-457.
@pytest.mark.parametrize("tag, message", [
    ({"Key": "", "Value": "v"}, "The Tag Key provided is invalid, Key: "),
    ({"Value": "v"}, "The Tag Key provided is invalid, Key: null"),
    ({"Key": "k"}, "The Tag Value provided is invalid, Value: null"),
    ({}, "The Tag Key provided is invalid, Key: null"),
])
def test_tags_rejects_incomplete_tags(unchecked_client, arn, tag, message):
    with assert_error("ValidationException", message):
        unchecked_client.tag_resource(ResourceArn=arn, Tags=[tag])


# UntagResource: keys follow the same rules; no keys, or more than 50, are refused.
# Sources: ack-quirks DDB-TABLE-105 (aws: on untag), -107 (texts, 51 keys), -457 ('' key).
@pytest.mark.parametrize("keys, message", [
    ([], "Atleast one Tag Key needs to be provided as Input."),
    (["aws:foo"], "Tag Key cannot be prefixed with aws:, Key: aws:foo"),
    (["k" * 129], "The Tag Key provided is invalid, Key: " + "k" * 129),
    ([f"k{i}" for i in range(51)], "Number of Tags exceed the current limit for the provided ResourceArn"),
])
def test_untag_rejects_invalid_keys(client, arn, keys, message):
    with assert_error("ValidationException", message):
        client.untag_resource(ResourceArn=arn, TagKeys=keys)


def test_untag_rejects_empty_key(unchecked_client, arn):
    with assert_error("ValidationException", "The Tag Key provided is invalid, Key: "):
        unchecked_client.untag_resource(ResourceArn=arn, TagKeys=[""])


# At most 50 tags per table, counted after merging with the tags already there (a
# ValidationException, not LimitExceeded); overwriting existing keys at 50 is fine.
# Sources: ack-quirks DDB-TABLE-108; scylla test_tag_resource_incorrect (30 + 20 then 20 more).
def test_tags_limit_50_after_merge(tagged):
    client, arn = tagged
    wait_for_tags(client, arn, {"env": "test", "team": ""})
    batch = {f"k{i:02d}": "v" for i in range(48)}
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": k, "Value": v} for k, v in batch.items()])
    expected = {"env": "test", "team": "", **batch}
    wait_for_tags(client, arn, expected)
    with assert_error("ValidationException", "Number of Tags exceed the current limit for the provided ResourceArn"):
        client.tag_resource(ResourceArn=arn, Tags=[{"Key": "one-more", "Value": "v"}])
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "changed"}])
    expected["env"] = "changed"
    wait_for_tags(client, arn, expected)


# The members are required: botocore refuses to send them missing, the server says the
# Coral way. Source: scylla test_tag_resource_missing_tags; dynalite validations/tagResource.js.
def test_tags_required_members(unchecked_client, arn):
    with assert_error("ValidationException", "1 validation error detected: Value null at 'tags' failed to satisfy "
                      "constraint: Member must not be null"):
        unchecked_client.tag_resource(ResourceArn=arn)
    with assert_error("ValidationException", "1 validation error detected: Value null at 'tagKeys' failed to satisfy "
                      "constraint: Member must not be null"):
        unchecked_client.untag_resource(ResourceArn=arn)
