// Chaînes des intégrations, aperçus de liens et emoji personnalisés.
import type { enExpressions } from "./en-expressions.ts";

export const frExpressions: Record<keyof typeof enExpressions, string> = {
  "embeds.remove": "Retirer les aperçus",
  "emoji.title": "Emoji",
  "emoji.hint": "Les membres peuvent utiliser ces emoji dans les messages et les réactions avec :nom:. PNG, GIF ou WebP, 256 Kio au plus ; les GIF et WebP animés le restent.",
  "emoji.name": "Nom",
  "emoji.nameHint": "De 2 à 32 lettres, chiffres ou tirets bas.",
  "emoji.image": "Image",
  "emoji.upload": "Ajouter l’emoji",
  "emoji.none": "Ce serveur n’a pas encore d’emoji personnalisé.",
  "emoji.remove": "Supprimer :{name}:",
  "emoji.badName": "Un nom d’emoji compte de 2 à 32 lettres, chiffres ou tirets bas.",
  "emoji.nameTaken": "Ce serveur a déjà un emoji de ce nom.",
  "emoji.limit": "Un serveur a au plus {max} emoji fixes et {max} emoji animés.",
  "emoji.tooLarge": "Une image d’emoji fait 256 Kio au plus.",
  "emoji.invalidImage": "Le fichier n’est pas une image PNG, GIF ou WebP.",
  "emoji.addReaction": "Ajouter une réaction",
  "emoji.picker": "Emoji",
  "emoji.search": "Chercher un emoji",
  "emoji.recent": "Utilisés récemment",
  "emoji.results": "Emoji",
  "emoji.noResults": "Aucun emoji trouvé.",
};
