// Word lists for scripts/generate-messages.ts, roughly in order of frequency in chat (the
// generator draws them with a Zipf law, so the first words are common and the tail is rare).
export const EN_WORDS = `the I to you a and it is that of in for on this we my do have be with just so but not are what can
was at if me all like get it's know about up will one there out no they good think your now people time would
yeah ok make go how more see an today some he tomorrow them when thanks back who new really still need here
work then too going because which right day did any sure first why also got well great where want after
should could lol over cool his use week last thing thought maybe look release build deploy server bug fix
test meeting review please merge branch ship tonight weekend morning coffee lunch dinner office remote
project deadline client team update issue ticket docs design idea plan later soon again already never
always love nice awesome sorry help question answer problem working broken fixed done ready close open
music movie game video photo picture trip holiday train plane hotel birthday party beer pizza football
match score win lose play watch read book write code script config database search index query cache
memory disk network latency throughput benchmark laptop phone screen keyboard mouse camera microphone
audio voice call stream channel message thread reply mention emoji reaction pinned link file image upload
download backup restore install upgrade version changelog feature roadmap sprint standup retro demo
presentation slides notes summary budget invoice contract customer support feedback survey report
weather rain snow sunny cold hot summer winter spring autumn garden cat dog kids school family friends`.split(/\s+/);

export const FR_WORDS = `le de la et les des un une je pas est que à en du il on pour ça qui dans sur c'est ce au avec mais
tu vous nous y a ai oui non bien plus fait faire être avoir va vais peux peut tout très là merci
demain aujourd'hui hier soir matin ce soir semaine prochaine réunion équipe projet déploiement serveur
problème réglé corrigé bogue version mise à jour café déjeuner dîner bureau télétravail vacances été hiver
printemps automne météo pluie neige soleil froid chaud fête anniversaire soirée week-end cinéma musique
jeu vidéo photo image lien fichier salon message fil réponse mention réaction épinglé recherche sauvegarde
restauration installation idée plan tâche échéance client retour enquête rapport budget facture contrat
présentation diapos compte-rendu résumé équipe réunion générale déjà encore jamais toujours peut-être
génial super sympa désolé aide question réponse marche cassé prêt ouvert fermé élève école théâtre forêt
hôpital noël année fenêtre répondre préféré côté début fin après avant pendant depuis chez entre sans sous
être écrire lire regarder écouter jouer gagner perdre match équipe maillot vélo randonnée montagne plage
mer lac rivière château église musée gare aéroport hôtel restaurant boulangerie croissant fromage vin
bière thé chocolat gâteau crêpe galette déménagement appartement maison jardin chat chien enfants famille
amis collègues patron stagiaire développeur développeuse graphiste données base index requête cache mémoire
disque réseau latence débit clavier souris écran caméra micro appel voix diffusion téléchargement envoi`.split(/\s+/);
