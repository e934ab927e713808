"""The phrase table of `archlint proposal`: vague architecture wording, and claims to check.

Data, not code: each entry is a pattern (case-insensitive regular expression), what to
write instead and why it matters. Claims are phrases that promise something the code can
confirm or contradict (a fixed path, a bound, a trace); `archlint proposal --code` checks
them against the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phrase:
    id: str
    pattern: str
    instead: str
    why: str


@dataclass(frozen=True)
class ClaimPhrase:
    claim: str  # "workflow" | "bounded" | "audited" | "completion" | "autonomy" | "correctness"
    pattern: str


def stems(*words: str) -> str:
    """Word forms of each stem: `stems("correct")` matches correct, corrects, corrected,
    correcting, correction, correctly."""
    return r"\b(?:" + "|".join(words) + r")\w*"


def near(first: tuple[str, ...], then: tuple[str, ...], gap: int = 4) -> str:
    """A word of `first` followed, within `gap` words, by a word of `then` (stems)."""
    return stems(*first) + rf"(?:\W+\w+){{0,{gap}}}?\W+(?:" + "|".join(then) + r")\w*"


VAGUE: tuple[Phrase, ...] = (
    Phrase(
        "ai-agent",
        r"\bAI[- ]agents?\b|\ban agent\b(?! loop)|\bagents? (will|can|that)\b",
        "Name the structure: 'a workflow using <pattern>' (routing, prompt chaining, "
        "orchestrator-workers, …) or 'an agent loop in which the model chooses its own "
        "tool calls'.",
        "The word alone does not say who decides the sequence of steps, which is what a "
        "reviewer needs to know first.",
    ),
    Phrase(
        "agentic",
        r"\bagentic\b",
        "Say 'the model decides the sequence of operations' if it does, or name the "
        "workflow pattern if it does not.",
        "It is a label, not a mechanism; the mechanism is what can be reviewed.",
    ),
    Phrase(
        "automated",
        r"\b(it'?s|is|are|fully|completely|everything is)\s+automated\b|\bfully automatic\b",
        "Say 'it follows a path fixed in code' or 'the model chooses the path while it runs'.",
        "Both kinds of system are automated; the difference is who owns the sequence.",
    ),
    Phrase(
        "deterministic",
        r"\bdeterministic(ally)?\b",
        "Say 'the code path is fixed; the model's answer within each step still varies'.",
        "Readers take it to mean the same input gives the same output, which model "
        "calls do not promise.",
    ),
    Phrase(
        "figures-out",
        r"\bfigures? out\b|\bworks? out (the|which|what) (steps?|to do)\b",
        "Say 'the model chooses the next tool call while it runs, based on what it has "
        "seen so far'.",
        "It puts the control question on the table before a buyer has to ask it.",
    ),
    Phrase(
        "keeps-trying",
        r"\bkeeps? (on )?trying\b|\bretries until\b|"
        + near(("until",), ("right", "correct", "accurat", "good", "perfect", "valid"), 5),
        "Say 'an evaluator loop: a check written in code judges each attempt, with a "
        "maximum number of rounds'.",
        "Otherwise the reader assumes it may retry forever, at unbounded cost.",
    ),
    Phrase(
        "self-healing",
        r"\bself[- ]?(?:heal|correct|repair|improv|fix)\w*",
        "Name the check and its limit: what detects the error, what runs again, and how "
        "many times at most.",
        "Recovery without a stated check and limit cannot be reviewed or tested.",
    ),
    Phrase(
        "autonomous",
        r"\bautonomous(ly)?\b|\bautonomy\b",
        "State what the model may decide on its own, with which tools, and under which "
        "limits (turns, time, budget).",
        "Autonomy is a matter of scope; without the scope there is nothing to approve.",
    ),
    Phrase(
        "right-model",
        r"\broutes? [\w ]{0,30}to the right\b",
        "Say 'it classifies the input and sends it to one of N handlers defined in code', "
        "and what happens to an input that fits none.",
        "It makes the routing decision concrete and auditable, including its fallback.",
    ),
    Phrase(
        "in-parallel",
        r"\bruns? ([\w ]{0,20} )?in parallel\b",
        "Say which kind: 'it splits the task into sections run in parallel' or 'it runs "
        "the same check several times and combines the answers'.",
        "The two kinds of parallel work have different costs and different failure modes.",
    ),
    Phrase(
        "manager-llm",
        r"\b(manager|supervisor|boss) (llm|model|agent)\b",
        "Say 'orchestrator-workers: one model splits the task, and only workers defined "
        "in code carry out the parts'.",
        "It ties the description to a known pattern whose limits are understood.",
    ),
    Phrase(
        "more-powerful",
        r"\bagents? (are|is) (more )?(powerful|smarter|better|more capable)\b",
        "Say 'an agent loop suits tasks whose steps cannot be known before the run'.",
        "Capability claims need the circumstance that justifies them.",
    ),
    Phrase(
        "take-actions",
        r"\b(can|will) take actions?\b|\btakes actions?\b",
        "Describe the loop: the model reads each tool's result before it picks the next "
        "action, and list the actions that exist.",
        "Making the loop visible is the first step to auditing it.",
    ),
    Phrase(
        "need-auditability",
        r"\bwe need auditability\b|\bauditability is (needed|required)\b",
        "Say what must be kept: a workflow's trace follows the code; an agent's trace "
        "needs each model response (and its reasoning) logged to be explained.",
        "It turns a wish into an infrastructure requirement that can be checked.",
    ),
)

# What the field claims about such systems, by what the claim is about: completion, cost
# (a bound), autonomy, correctness and auditability, plus the architecture (a workflow).
# Patterns match word forms (stems), so "self-corrects" and "self-correcting" are one claim.
CLAIMS: tuple[ClaimPhrase, ...] = (
    ClaimPhrase(
        "workflow",
        r"\bworkflow\b|\bpredefined (code )?path\b|\bfixed (sequence|path|pipeline|steps)\b"
        r"|\bpath (is )?(fixed|defined) in (the )?code\b",
    ),
    ClaimPhrase(
        "bounded",
        r"\bbounded\b|\bat most \d+\b|\bcapped\b|\bhard (limit|stop|cap)\b"
        r"|\bpredictable (cost|latency)\b|\bmaximum (number of )?(iterations|turns|rounds|steps|calls)\b"
        + "|"
        + near(
            ("cost", "pric", "spend", "bill", "charg"),
            ("fix", "flat", "predict", "known", "cap"),
            3,
        )
        + "|"
        + near(
            ("fix", "flat", "predict", "constant", "known", "guarant"),
            ("cost", "pric", "amount", "spend", "budget"),
            2,
        ),
    ),
    ClaimPhrase(
        "completion",
        near(
            ("guarant", "ensur", "always", "certain", "promis"),
            ("finish", "complet", "succeed", "terminat", "resolv", "end"),
            4,
        )
        + "|"
        + near(("finish", "complet", "resolv"), ("every", "all", "each", "any"), 2)
        + r"|\bnever (?:gets? stuck|hangs?|loops? forever|runs? forever|fails? to (?:finish|complet)\w*)",
    ),
    ClaimPhrase(
        "autonomy",
        stems("autonom")
        + "|"
        + near(
            ("without", "no", "zero"), ("human", "manual", "supervis", "oversight", "intervent"), 3
        )
        + r"|\b(?:on|by) (?:its|their) own\b|\bself[- ]?(?:direct|driv|govern)\w*",
    ),
    ClaimPhrase(
        "correctness",
        r"\bself[- ]?(?:correct|heal|repair|fix|verif|check)\w*"
        + "|"
        + near(("until",), ("right", "correct", "accurat", "valid", "pass", "good", "perfect"), 5)
        + "|"
        + near(
            ("always", "guarant", "never"),
            ("right", "correct", "accurat", "wrong", "hallucinat", "mistak"),
            3,
        ),
    ),
    ClaimPhrase(
        "audited",
        r"\bfully auditable\b|\bevery (step|call|decision|action) is (logged|traced|recorded)\b"
        r"|\b(complete|full) audit trail\b|\beverything is (logged|traced)\b"
        + "|"
        + near(
            ("full", "fully", "complet", "entire"),
            ("auditab", "traceab", "audit", "trac", "log", "record"),
            2,
        )
        + "|"
        + near(("every", "each", "all"), ("logged", "traced", "recorded", "audited"), 4),
    ),
)
