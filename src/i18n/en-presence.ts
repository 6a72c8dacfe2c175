// English strings for presence (statuses, the status menu), typing indicators and live read state.
export const enPresence = {
  "presence.online": "Online",
  "presence.idle": "Idle",
  "presence.dnd": "Do Not Disturb",
  "presence.invisible": "Invisible",
  "presence.offline": "Offline",
  "presence.unknown": "Status unknown",
  "presence.menu": "Set your status",
  "presence.status": "Status",
  "presence.customStatus": "Custom status",
  "presence.customPlaceholder": "What are you up to?",
  "presence.save": "Set status",
  "presence.invisibleHint": "You appear offline to others but can still chat.",
  "presence.dndHint": "Others see that you do not want to be disturbed.",
  "typing.one": "{name} is typing…",
  "typing.two": "{a} and {b} are typing…",
  "typing.several": "Several people are typing…",
} as const;
