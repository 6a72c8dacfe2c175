// The message list as a reader experiences it: local times, messages grouped by author within
// 7 minutes, day separators, the "new messages" divider, jumping to a message, "jump to present",
// keeping the scroll position while older pages load above, acknowledging what was read, and
// re-fetching the list after the live connection was lost (nothing sent meanwhile is missed).
// Each script is its own scope: the page loads several side by side.
pokynanoPage.init((signal) => {
  const list = document.getElementById("messages");
  const scroller = document.getElementById("message-scroll");

  if (list && scroller) {
    const me = list.dataset.me;
    const GROUP_MS = 7 * 60 * 1000;
    const locale = document.documentElement.lang || undefined;
    const timeOf = (el) => new Date(el.querySelector("time")?.getAttribute("datetime") ?? 0);
    const dayKey = (d) => `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
    const dayLabel = (d) => {
      const today = new Date();
      const yesterday = new Date(today.getTime() - 86400000);
      if (dayKey(d) === dayKey(today)) return list.dataset.today;
      if (dayKey(d) === dayKey(yesterday)) return list.dataset.yesterday;
      return d.toLocaleDateString(locale, { dateStyle: "long" });
    };
    const isMessage = (el) => el.nodeType === 1 && el.classList.contains("message") && !el.classList.contains("pending");
    const newestId = () => [...list.querySelectorAll(":scope > .message[id^='m-']")].at(-1)?.id.slice(2) ?? null;
    const detached = () => list.hasAttribute("data-detached");
    const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    const toBottom = () => {
      scroller.scrollTop = scroller.scrollHeight;
    };

    // Recomputed over the whole list after each change: a few hundred elements, well under a frame.
    const decorate = () => {
      for (const old of list.querySelectorAll(":scope > .day-separator")) old.remove();
      let previous = null;
      for (const el of [...list.children]) {
        if (!isMessage(el)) continue;
        const at = timeOf(el);
        const time = el.querySelector(".message-header time");
        if (time && !time.dataset.local) {
          time.textContent = at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
          time.title = at.toLocaleString(locale, { dateStyle: "full", timeStyle: "short" });
          time.dataset.local = "1";
        }
        const newDay = !previous || dayKey(timeOf(previous)) !== dayKey(at);
        if (newDay) {
          const separator = document.createElement("div");
          separator.className = "day-separator";
          // The feed holds articles only; each message's time carries the full date for assistive tech.
          separator.setAttribute("aria-hidden", "true");
          const label = document.createElement("span");
          label.textContent = dayLabel(at);
          separator.append(label);
          el.before(separator);
        }
        const grouped = !newDay && previous.dataset.authorId === el.dataset.authorId && at - timeOf(previous) < GROUP_MS && !el.classList.contains("is-reply");
        el.classList.toggle("grouped", grouped);
        previous = el;
      }
    };

    const ack = (messageId) => {
      const body = new URLSearchParams(messageId ? { message_id: messageId } : {});
      fetch(`/channels/${list.dataset.channelId}/ack`, { method: "POST", body, credentials: "same-origin" }).catch(() => {});
    };

    const highlight = (el) => {
      el.classList.remove("highlight");
      void el.offsetWidth; // restart the animation when the same message is jumped to twice
      el.classList.add("highlight");
      el.scrollIntoView({ block: "center" });
      el.focus({ preventScroll: true });
    };

    // First paint: the divider after what was read before this visit, then the right scroll spot.
    decorate();
    const lastRead = list.dataset.lastRead;
    if (lastRead) {
      const first = [...list.querySelectorAll(":scope > .message[id^='m-']")].find((el) => BigInt(el.id.slice(2)) > BigInt(lastRead) && el.dataset.authorId !== me);
      if (first && first !== list.querySelector(":scope > .message")) {
        const divider = document.createElement("div");
        divider.className = "new-divider";
        divider.setAttribute("role", "separator");
        const label = document.createElement("span");
        label.textContent = list.dataset.newLabel;
        divider.append(label);
        first.before(divider);
      }
    }
    const target = list.dataset.highlight && document.getElementById(`m-${list.dataset.highlight}`);
    if (target) highlight(target);
    else toBottom();

    // Older pages load above the reader: keep what they are looking at in place.
    let keepFromBottom = null;
    list.addEventListener("htmx:before:swap", (event) => {
      if (event.target.classList?.contains("history-before")) keepFromBottom = scroller.scrollHeight - scroller.scrollTop;
    });

    const observer = new MutationObserver((records) => {
      const stick = !detached() && nearBottom();
      let arrived = null;
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType !== 1 || !node.id?.startsWith("m-")) continue;
          // A live message and a loaded page can bring the same message: keep the first copy.
          if (list.querySelectorAll(`[id="${node.id}"]`).length > 1) {
            node.remove();
            continue;
          }
          if (node.dataset.nonce) document.getElementById(`pending-${node.dataset.nonce}`)?.remove();
          if (node.nextElementSibling === null) arrived = node.id.slice(2);
        }
      }
      // Separators added by decorate() must not wake this observer again.
      observer.disconnect();
      decorate();
      observer.takeRecords();
      observer.observe(list, { childList: true });
      if (keepFromBottom !== null) {
        scroller.scrollTop = scroller.scrollHeight - keepFromBottom;
        keepFromBottom = null;
      }
      // The newer end was reached after a jump: from now on live messages continue the list.
      if (detached() && !list.querySelector(":scope > .history-after")) {
        list.removeAttribute("data-detached");
        document.getElementById("jump-present").hidden = true;
      }
      if (arrived && arrived === newestId() && !document.hidden && !detached()) ack(arrived);
      if (stick) toBottom();
    });
    observer.observe(list, { childList: true });

    // Reply quotes and pinned entries jump in place when the message is on the page.
    document.addEventListener("click", (event) => {
      const jump = event.target.closest("[data-jump]");
      if (jump) {
        const el = document.getElementById(`m-${jump.dataset.jump}`);
        if (el && list.contains(el)) {
          event.preventDefault();
          document.getElementById("popover")?.replaceChildren();
          highlight(el);
        }
      }
      if (event.target.closest("[data-close-popover]")) document.getElementById("popover")?.replaceChildren();
      if (event.target.closest("[data-jump-present]") && !detached()) {
        event.preventDefault();
        toBottom();
      }
    }, { signal });

    // "Jump to present" also appears when the reader has scrolled far up.
    const bar = document.getElementById("jump-present");
    scroller.addEventListener("scroll", () => {
      if (!detached()) bar.hidden = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < scroller.clientHeight * 2;
    });

    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !event.defaultPrevented) ack(null);
    }, { signal });
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && !detached() && nearBottom()) ack(null);
    }, { signal });

    // After the live connection drops and comes back, re-fetch the newest page: whatever was sent,
    // edited or deleted meanwhile is shown, and live messages continue from there.
    const live = document.querySelector(".live-connection");
    let connections = 0;
    live?.addEventListener("htmx:ws:after:connection", async () => {
      connections++;
      if (connections === 1 || detached()) return;
      const res = await fetch(live.dataset.historyUrl, { credentials: "same-origin" }).catch(() => null);
      if (!res?.ok) return;
      const stick = nearBottom();
      list.innerHTML = await res.text();
      window.htmx?.process(list);
      list.dispatchEvent(new CustomEvent("pokynano:resynced", { bubbles: true }));
      if (stick) toBottom();
    });
  }
});
