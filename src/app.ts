// createApp(): the middleware order and every route mount, on one screen.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { adminApi } from "./admin/api.ts";
import { adminRoutes } from "./admin/routes.tsx";
import { assetRoutes } from "./assets/routes.ts";
import { authApi } from "./auth/api.ts";
import { authenticate } from "./auth/middleware.ts";
import { authRoutes } from "./auth/routes.tsx";
import type { Core } from "./core.ts";
import { healthRoutes } from "./health/routes.ts";
import { homeRoutes } from "./home/routes.tsx";
import { accessLog } from "./http/access-log.ts";
import { sameOriginWrites } from "./http/csrf.ts";
import type { AppEnv } from "./http/env.ts";
import { onError, onNotFound } from "./http/errors.tsx";
import { chooseLocale } from "./http/locale.ts";
import { securityHeaders } from "./http/security-headers.ts";
import { tooLarge } from "./lib/errors.ts";
import { usersApi } from "./users/api.ts";
import { channelPages } from "./channels/routes.tsx";
import "./messages/live.tsx"; // publishes committed message changes to the hub
import "./threads/live.tsx"; // publishes committed thread changes (THREAD_* events, reply summaries)
import { threadsApi } from "./threads/api.ts";
import { threadPages } from "./threads/routes.tsx";
import "./messages/read-live.tsx"; // publishes unread marks and mention badges after commits
import "./notifications/deliver.ts"; // desktop notifications and Web Push after a message commits
import { notificationRoutes } from "./notifications/routes.tsx";
import { pwaRoutes } from "./pwa/routes.tsx";
import "./previews/service.ts"; // fetches link previews after a message with links commits
import { previewRoutes } from "./previews/routes.tsx";
import { emojiRoutes } from "./emoji/routes.tsx";
import { emojiApi } from "./emoji/api.ts";
import { presencePages } from "./presence/routes.tsx";
import { typingApi } from "./presence/api.ts";
import { shellFragments } from "./shell/fragments.tsx";
import { messagesApi } from "./messages/api.ts";
import { gatewayApi } from "./gateway/api.ts";
import { messagePages } from "./messages/routes.tsx";
import { dmPages } from "./dms/routes.tsx";
import { guildPages } from "./guilds/routes.tsx";
import { guildSettingsRoutes } from "./guilds/settings-routes.tsx";
import { invitePages } from "./invites/routes.tsx";
import { channelsApi } from "./channels/api.ts";
import { meApi } from "./dms/api.ts";
import { guildsApi } from "./guilds/api.ts";
import { searchApi } from "./search/api.ts";
import { searchPages } from "./search/routes.tsx";
import { invitesApi } from "./invites/api.ts";
import { AVATAR_MAX_BYTES, avatarDir } from "./users/avatar.ts";
import { imageRoutes } from "./users/avatar-routes.ts";
import { iconDir } from "./guilds/icon.ts";
import { settingsRoutes } from "./users/routes.tsx";
import { voiceCallRoutes, voiceSettingsRoutes } from "./voice/routes.tsx";
import { voiceApi } from "./voice/api.ts";
import { fileRoutes } from "./files/routes.tsx";
import { fileAdminRoutes } from "./files/admin.tsx";
import { filesApi } from "./files/api.ts";
import { FILE_SIZE_CEILING } from "./files/limits.ts";
import { routeBoundaries } from "./bots/policy.ts";
import { applicationsApi, oauth2Api } from "./bots/api.ts";
import { apiRateLimits } from "./bots/rate-limit.ts";
import { authorizePages, developerRoutes } from "./bots/routes.tsx";
import { bulkDeleteApi } from "./messages/bulk-delete.ts";
import { openapiApi } from "./openapi/api.ts";
import { metricsRoutes, requestMetrics } from "./ops/metrics-route.ts";
import { MAX_IMPORT_BYTES, opsApi } from "./ops/api.ts";
import { opsRoutes } from "./ops/routes.tsx";
import { instanceCssRoutes } from "./instance/routes.ts";
import { moderationApi } from "./moderation/api.ts";
import { moderationPages } from "./moderation/routes.tsx";
import { auditReason } from "./moderation/audit.ts";
import { ipGate } from "./moderation/ip-bans.ts";
import { commandsApi, interactionsApi } from "./interactions/api.ts";
import { interactionPages } from "./interactions/routes.tsx";
import { channelWebhooksApi, guildWebhooksApi, webhooksApi } from "./webhooks/api.ts";
import { guildSubscriptionsApi, subscriptionsApi } from "./subscriptions/api.ts";
import { subscriptionPages } from "./subscriptions/routes.tsx";
import { webhookPages } from "./webhooks/routes.tsx";

/** Largest body the JSON API and HTML forms accept (uploads get their own limit). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Routes that take a file, with their own ceiling (the multipart envelope adds a little). */
const UPLOAD_LIMITS: [RegExp, number][] = [
  [/^\/settings\/avatar$/, AVATAR_MAX_BYTES + 64 * 1024],
  [/^\/guilds\/\d{1,20}\/icon$/, AVATAR_MAX_BYTES + 64 * 1024],
  [/^\/guilds$/, AVATAR_MAX_BYTES + 64 * 1024],
  // Files: the ceiling of the max-file-size setting; files/ enforces the setting itself with a clear 413.
  [/^\/channels\/\d{1,20}\/attachments$/, FILE_SIZE_CEILING + 64 * 1024],
  [/^\/api\/v10\/channels\/\d{1,20}\/messages$/, FILE_SIZE_CEILING + 1024 * 1024],
  // Admin imports (Discord, Slack, Pokynano exports) carry whole workspaces.
  [/^\/(?:api\/v10\/)?admin\/imports$/, MAX_IMPORT_BYTES],
  [/^\/(?:api\/v10\/)?admin\/appearance\/logo$/, AVATAR_MAX_BYTES + 64 * 1024],
];

function limitBodies() {
  const limiter = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw tooLarge(`The request body is larger than the ${Math.round(maxSize / 1024)} KiB limit.`);
      },
    });
  const standard = limiter(MAX_BODY_BYTES);
  const uploads = UPLOAD_LIMITS.map(([pattern, max]) => [pattern, limiter(max)] as const);
  return (c: Parameters<typeof standard>[0], next: Parameters<typeof standard>[1]) => (uploads.find(([pattern]) => pattern.test(c.req.path))?.[1] ?? standard)(c, next);
}

export function createApp(core: Core, isShuttingDown: () => boolean) {
  const app = new Hono<AppEnv>();
  const https = core.config.publicUrl.startsWith("https:");

  app.use(requestId({ limitLength: 64 }));
  app.use(requestMetrics(core));
  // Before authenticate: the scrape token is not a session token (metrics-route.ts checks callers itself).
  app.route("/", metricsRoutes(core));
  app.use(accessLog(core.logger));
  app.use(securityHeaders({ https }));
  app.use(sameOriginWrites((own) => [own, core.config.publicUrl]));
  app.use(limitBodies());
  // Instance IP bans (moderation/ip-bans.ts): refused before anything else is done for them.
  app.use(ipGate(core));
  app.use(authenticate(core));
  // X-Audit-Log-Reason and the acting user, for the audit log entries services write.
  app.use(auditReason);
  app.use(routeBoundaries);
  app.use(apiRateLimits(core));
  app.use(chooseLocale);

  app.route("/", healthRoutes({ db: core.db, isShuttingDown }));
  app.route("/", instanceCssRoutes(core));
  app.route("/static", assetRoutes);
  app.route("/", pwaRoutes(core));
  app.route("/avatars", imageRoutes(avatarDir, core));
  app.route("/icons", imageRoutes(iconDir, core));
  app.route("/", authRoutes(core));
  app.route("/settings", settingsRoutes(core));
  app.route("/settings/developer", developerRoutes(core));
  app.route("/settings/voice", voiceSettingsRoutes(core));
  app.route("/settings/notifications", notificationRoutes(core));
  app.route("/calls", voiceCallRoutes(core));
  app.route("/api/v10/voice", voiceApi(core));
  app.route("/oauth2", authorizePages(core));
  app.route("/", messagePages(core));
  app.route("/", interactionPages(core));
  app.route("/", subscriptionPages(core));
  app.route("/", webhookPages(core));
  app.route("/", searchPages(core));
  app.route("/", fileRoutes(core));
  app.route("/", previewRoutes(core));
  app.route("/", emojiRoutes(core));
  app.route("/", threadPages(core));
  app.route("/", presencePages(core));
  app.route("/shell", shellFragments(core));
  app.route("/", dmPages(core));
  app.route("/", guildPages(core));
  app.route("/", channelPages(core));
  app.route("/", moderationPages(core));
  app.route("/guilds", guildSettingsRoutes(core));
  app.route("/invite", invitePages(core));
  app.route("/admin", adminRoutes(core));
  app.route("/admin", fileAdminRoutes(core));
  app.route("/admin", opsRoutes(core));
  app.route("/api/v10/auth", authApi(core));
  app.route("/api/v10/gateway", gatewayApi(core));
  app.route("/api/v10/users/@me", meApi(core));
  app.route("/api/v10/users", usersApi(core));
  // Before guildsApi and channelsApi: GET/PATCH/DELETE /channels/{id} of a non-thread fall through to channelsApi.
  app.route("/api/v10", threadsApi(core));
  app.route("/api/v10", searchApi(core));
  app.route("/api/v10", moderationApi(core));
  app.route("/api/v10/guilds", emojiApi(core));
  app.route("/api/v10/guilds", guildsApi(core));
  app.route("/api/v10/channels", channelsApi(core));
  // Before messagesApi: takes multipart sends (files) and keeps JSON sends to the general body limit.
  app.route("/api/v10/channels", filesApi(core));
  app.route("/api/v10/channels", messagesApi(core));
  app.route("/api/v10/channels", typingApi(core));
  app.route("/api/v10/invites", invitesApi(core));
  app.route("/api/v10/admin", adminApi(core));
  app.route("/api/v10/admin", opsApi(core));
  // Before applicationsApi: PATCH /applications/@me (interactions endpoint) is not an application id.
  app.route("/api/v10/applications", commandsApi(core));
  app.route("/api/v10/applications", applicationsApi(core));
  app.route("/api/v10/interactions", interactionsApi(core));
  app.route("/api/v10/webhooks", webhooksApi(core));
  app.route("/api/v10/channels", channelWebhooksApi(core));
  app.route("/api/v10/guilds", guildWebhooksApi(core));
  app.route("/api/v10/guilds", guildSubscriptionsApi(core));
  app.route("/api/v10/subscriptions", subscriptionsApi(core));
  app.route("/api/v10/oauth2", oauth2Api(core));
  app.route("/api/v10/channels", bulkDeleteApi(core));
  app.route("/api/v10", openapiApi(core));
  app.route("/", homeRoutes(core));

  app.notFound(onNotFound);
  app.onError(onError);
  return app;
}
