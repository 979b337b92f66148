"""The table life-cycle delays reach the Config from the command line."""

from server.cli import config_from, parse_args


def test_table_delay_flags_map_to_config():
    config = config_from(parse_args(["--table-creation-delay", "2.5", "--table-deletion-delay", "4"]))
    assert config.table_creation_delay_seconds == 2.5
    assert config.table_deletion_delay_seconds == 4.0


def test_table_delays_default_to_zero():
    config = config_from(parse_args([]))
    assert (config.table_creation_delay_seconds, config.table_deletion_delay_seconds) == (0.0, 0.0)
