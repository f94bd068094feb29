// A quiz on a page with no kernel: the same question, answers checked in the browser.
import { el } from "./dom.js";
import { quizAccepts } from "./settings.js";

export function mountQuiz(host, record) {
  const question = el("div", { class: "agl-quiz-question" });
  question.innerHTML = `<b>Quiz.</b> ${record.question}`;
  let input;
  const name = `agl-quiz-${Math.random().toString(36).slice(2, 9)}`;
  if (record.options) {
    input = el("div", { class: "agl-quiz-options", role: "radiogroup" },
      ...record.options.map((option) => el("label", { class: "agl-quiz-option" },
        el("input", { type: "radio", name, value: option }), ` ${option}`)));
  } else {
    input = el("input", { type: "text", class: "agl-quiz-text", placeholder: "your answer", "aria-label": "your answer" });
  }
  const check = el("button", { type: "button", class: "agl-run", text: "Check" });
  const reveal = el("button", { type: "button", class: "agl-reveal", text: "Show the answer", hidden: true });
  const feedback = el("div", { class: "agl-quiz-feedback", role: "status" });
  host.replaceChildren(question, input, el("div", { class: "agl-quiz-buttons" }, check, " ", reveal), feedback);

  let wrong = 0;
  const given = () => (record.options ? input.querySelector("input:checked")?.value ?? null : input.value);
  const say = (cls, bold, text) => feedback.replaceChildren(el("p", { class: cls }, el("b", { text: bold }), ` ${text}`));
  check.addEventListener("click", () => {
    const answer = given();
    if (answer === null || String(answer).trim() === "") { say("", "", "Pick or type an answer first."); return; }
    if (quizAccepts(record.answers, answer)) { say("agl-right", "Right.", record.explanation ?? ""); return; }
    wrong += 1;
    say("agl-wrong", "Not quite.", record.why?.[answer] || record.hint || "Have another go.");
    if (wrong >= (record.tries_before_reveal ?? 2)) reveal.hidden = false; // as the notebook's quiz
  });
  reveal.addEventListener("click", () => {
    say("agl-answer", "The answer:", `${record.answers.join(" or ")}. ${record.explanation ?? ""}`);
  });
  return { check, reveal, feedback };
}
