import type { enPresence } from "./en-presence.ts";

// Chaînes françaises : présence (statuts, menu de statut), indicateurs de saisie, état de lecture en direct.
export const frPresence: Record<keyof typeof enPresence, string> = {
  "presence.online": "En ligne",
  "presence.idle": "Inactif",
  "presence.dnd": "Ne pas déranger",
  "presence.invisible": "Invisible",
  "presence.offline": "Hors ligne",
  "presence.unknown": "Statut inconnu",
  "presence.menu": "Choisir votre statut",
  "presence.status": "Statut",
  "presence.customStatus": "Statut personnalisé",
  "presence.customPlaceholder": "Que faites-vous en ce moment ?",
  "presence.save": "Changer de statut",
  "presence.invisibleHint": "Vous apparaissez hors ligne aux autres, mais pouvez toujours discuter.",
  "presence.dndHint": "Les autres voient que vous ne souhaitez pas être dérangé·e.",
  "typing.one": "{name} est en train d’écrire…",
  "typing.two": "{a} et {b} sont en train d’écrire…",
  "typing.several": "Plusieurs personnes sont en train d’écrire…",
};
