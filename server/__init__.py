"""dynamodb-emulator's servers: the DynamoDB JSON wire protocol over HTTP and in-process."""
