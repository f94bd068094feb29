// Switch settings as the keys of the recorded states: one digit per switch, in the
// switches' order ("1,0" for the first on and the second off). helpers/scenes.py writes
// the same keys.
export function settingKey(order, values) {
  return order.map((name) => (values[name] ? "1" : "0")).join(",");
}

// How a prediction scores: statements left unanswered are not counted.
export function scorePrediction(guesses, outcomes) {
  const marks = [];
  for (const [statement, outcome] of Object.entries(outcomes)) {
    const said = guesses[statement];
    if (said === undefined || said === null) marks.push({ statement, outcome, said: null, right: null });
    else marks.push({ statement, outcome, said, right: said === outcome.true });
  }
  const answered = marks.filter((m) => m.right !== null);
  return { marks, answered: answered.length, right: answered.filter((m) => m.right).length, asked: marks.length };
}

// A quiz answer against the accepted ones: numbers as numbers, text without case or quotes.
export function quizAccepts(answers, given) {
  if (given === null || given === undefined || String(given).trim() === "") return false;
  const norm = (t) => String(t).trim().replace(/^[`'"]+|[`'"]+$/g, "").toLowerCase().split(/\s+/).join(" ");
  for (const answer of answers) {
    if (typeof answer === "number") {
      const number = Number(String(given).trim());
      if (String(given).trim() !== "" && Number.isFinite(number)
        && Math.abs(number - answer) <= Math.max(1e-9, 1e-6 * Math.max(Math.abs(number), Math.abs(answer)))) return true;
    } else if (norm(given) === norm(answer)) {
      return true;
    }
  }
  return false;
}
