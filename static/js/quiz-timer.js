// Progressive enhancement for a timed quiz: counts the time left down on the page and sends the
// answers when it reaches zero. The server decides what counts (it expires late attempts itself),
// so without this file nothing is lost but the convenience.
(() => {
  const WARN_AT_SECONDS = [300, 60];

  function format(seconds) {
    const minutes = Math.floor(seconds / 60);
    const rest = String(seconds % 60).padStart(2, "0");
    return `${minutes}:${rest}`;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const clock = document.querySelector("time[data-deadline]");
    const form = document.getElementById("quiz-form");
    if (!clock || !form) return;
    const announcement = document.getElementById("quiz-timer-announcement");
    // The seconds the server counted avoid trusting the browser's clock; the deadline is the
    // fallback.
    const secondsLeft = Number.parseInt(clock.dataset.secondsLeft, 10);
    const endsAt = Number.isFinite(secondsLeft)
      ? Date.now() + secondsLeft * 1000
      : Date.parse(clock.dataset.deadline);
    if (!Number.isFinite(endsAt)) return;
    let sent = false;
    form.addEventListener("submit", () => {
      sent = true;
    });
    const secondsAtLoad = Math.round((endsAt - Date.now()) / 1000);
    // Only thresholds still ahead are announced: a page opened with 3 minutes left says nothing
    // about five.
    const warned = new Set(WARN_AT_SECONDS.filter((threshold) => threshold >= secondsAtLoad));

    function tick() {
      const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      clock.textContent = format(left);
      clock.setAttribute("datetime", `PT${left}S`);
      for (const threshold of WARN_AT_SECONDS) {
        if (left <= threshold && !warned.has(threshold) && announcement) {
          warned.add(threshold);
          const minutes = Math.round(threshold / 60);
          announcement.textContent = `${minutes} minute${minutes === 1 ? "" : "s"} left.`;
        }
      }
      if (left === 0) {
        window.clearInterval(timer);
        if (!sent) {
          sent = true;
          if (announcement) announcement.textContent = "Time is up: sending your answers.";
          form.requestSubmit();
        }
      }
    }

    const timer = window.setInterval(tick, 1000);
    tick();
  });
})();
