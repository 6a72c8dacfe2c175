// Examples on the developer page: the same calls the documentation describes, with this
// instance's address filled in.
import type { PageCtx } from "../shared/page-ctx.ts";

export function BotExamples(props: { ctx: PageCtx; publicUrl: string }) {
  const { t } = props.ctx;
  const base = props.publicUrl;
  const curl = [
    `# Who am I?`,
    `curl -H "Authorization: Bot $TOKEN" ${base}/api/v10/users/@me`,
    ``,
    `# Say hello in a channel`,
    `curl -X POST -H "Authorization: Bot $TOKEN" -H "Content-Type: application/json" \\`,
    `  -d '{"content": "Hello!"}' ${base}/api/v10/channels/CHANNEL_ID/messages`,
  ].join("\n");
  const djs = [
    `// npm install discord.js`,
    `import { Client, Events, GatewayIntentBits } from "discord.js";`,
    ``,
    `const client = new Client({`,
    `  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],`,
    `  rest: { api: "${base}/api" }, // the gateway address comes from GET /gateway/bot`,
    `});`,
    `client.on(Events.MessageCreate, async (message) => {`,
    `  if (message.content === "!ping") await message.reply("pong");`,
    `});`,
    `client.login(process.env.TOKEN);`,
  ].join("\n");
  return (
    <section class="settings-section bot-examples" aria-labelledby="bot-examples">
      <h2 id="bot-examples">{t("bots.examples")}</h2>
      <p>{t("bots.docsIntro")}</p>
      <h3>{t("bots.curlExample")}</h3>
      <pre class="code-example">
        <code>{curl}</code>
      </pre>
      <h3>{t("bots.djsExample")}</h3>
      <pre class="code-example">
        <code>{djs}</code>
      </pre>
      <p>
        {/* A file shown in a tab of its own: in this one it would end a call (static/js/page.js). */}
        <a href="/api/v10/openapi.json" target="_blank" rel="noopener">{t("bots.openapi")}</a> · {t("bots.seeDocs")}
      </p>
    </section>
  );
}
