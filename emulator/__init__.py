"""dynamodb-emulator's engine: an in-memory DynamoDB, usable without any server.

>>> from emulator import Database, api
>>> db = Database()
"""

from . import api, errors
from .clock import ManualClock, SystemClock
from .config import Config
from .database import Database, Regions
from .errors import DynamoDBError

__all__ = ["Config", "Database", "Regions", "DynamoDBError", "ManualClock", "SystemClock", "api", "errors"]
