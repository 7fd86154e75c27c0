-- Client ids are kept unique by the session hub (see frame-writer.ts): this index cost a page write per frame.
DROP INDEX `session_messages_client_idx`;