// The official Amazon IVS Chat client library for the chat script (assets/chat.js), unchanged:
// bundled by esbuild into assets/chat-client.js at build time and served from the creator's domain.
import { ChatRoom, DeleteMessageRequest, DisconnectUserRequest, SendMessageRequest } from 'amazon-ivs-chat-messaging';

window.IvsChatMessaging = { ChatRoom, DeleteMessageRequest, DisconnectUserRequest, SendMessageRequest };
