"""Demo quizzes for the awareness modules: a question bank each, with explanations and the ISO
clauses every question rests on, attached to its module as a newly published revision.

`seed_quizzes()` is idempotent: a quiz is found by its title, and a module that already has a quiz
(the demo's or one an editor chose) keeps it. Run it after the training content and the demo's
progress are seeded, so that completions made before the modules had quizzes stay as they are.
"""

from __future__ import annotations

from textwrap import dedent

from django.db import transaction

from lms.models import TrainingModule
from quizzes.blocks import multiple_choice_value, single_choice_value, true_false_value
from quizzes.models import Quiz

ALL_THAT_APPLY = " Pick all that apply."


def _text(text: str) -> str:
    # One paragraph each: the Markdown source reads the same in the CMS as on the page.
    return " ".join(dedent(text).split())


def _iso_9001_questions() -> list[dict]:
    return [
        single_choice_value(
            "Who sets our quality policy and answers for it?",
            [
                ("Top management: the Managing Director signs it", True),
                ("The certification body, which writes it for us", False),
                ("Each department, which writes its own", False),
                ("The quality department alone", False),
            ],
            explanation=_text(
                """
                Clause 5.2 asks top management to establish the quality policy and communicate
                it; clause 5.1 makes them accountable for the system's effectiveness. Ours is
                one page, signed by the Managing Director and displayed in every area.
                """
            ),
            clauses="ISO 9001 5.1, ISO 9001 5.2",
        ),
        multiple_choice_value(
            "Clause 7.3 asks that everyone working for us is aware of some things."
            + ALL_THAT_APPLY,
            [
                ("The quality policy", True),
                ("The quality objectives that touch their work", True),
                (
                    "How their work contributes to the system, and the benefits of doing it well",
                    True,
                ),
                ("What not conforming to the system's requirements costs", True),
                ("The certification body's audit schedule", False),
            ],
            explanation=_text(
                """
                Clause 7.3 names four things: the policy, the relevant objectives, your
                contribution, and the implications of not conforming. An auditor may ask you
                any of them; the audit schedule is not one.
                """
            ),
            clauses="ISO 9001 7.3",
        ),
        single_choice_value(
            "You find that parts from your machine are out of tolerance. What do you do first?",
            [
                ("Stop passing them on, and quarantine and tag them", True),
                ("Rework them quietly and carry on", False),
                ("Pass them on: final inspection will catch them", False),
                ("Finish the batch and mention it at the end of the week", False),
            ],
            explanation=_text(
                """
                Stop, contain, report, learn. Nonconforming output is identified and kept apart
                so that it cannot be used by mistake (8.7), then the cause is looked for (10.2).
                """
            ),
            clauses="ISO 9001 8.7, ISO 9001 10.2",
        ),
        true_false_value(
            "A problem that has already been fixed does not need to be reported.",
            False,
            explanation=_text(
                """
                False. A problem fixed but not reported comes back, because nobody removed its
                cause. Clause 10.2 asks us to react to the nonconformity and then evaluate what
                would stop it happening again.
                """
            ),
            clauses="ISO 9001 10.2",
        ),
        single_choice_value(
            "What is a nonconformity?",
            [
                (
                    "Anything that does not meet a requirement: a specification, a procedure, "
                    "a customer's order or the law",
                    True,
                ),
                ("Only a defect that a customer complains about", False),
                ("Only a finding raised by an external auditor", False),
                ("A mistake made by someone new to the job", False),
            ],
            explanation=_text(
                """
                ISO 9000 defines a nonconformity as the non-fulfilment of a requirement. A part
                out of tolerance, a skipped check and an out-of-date drawing in use all count,
                whoever finds them.
                """
            ),
            clauses="ISO 9000 3.6.9, ISO 9001 10.2",
        ),
        multiple_choice_value(
            "Which of these are quality objectives in the sense of clause 6.2?" + ALL_THAT_APPLY,
            [
                ("Scrap on Line 2 below 2.5 % by the end of the year", True),
                ("98 % of orders dispatched on time every month", True),
                ("Everyone works harder", False),
                ("Keep customers happy", False),
            ],
            explanation=_text(
                """
                Objectives are measurable, monitored and communicated (6.2.1): a number, a
                deadline and a way to check. "Work harder" cannot be measured, so nobody can
                tell whether it was met.
                """
            ),
            clauses="ISO 9001 6.2",
        ),
        single_choice_value(
            "The revision letter on your printed drawing differs from the one in the document "
            "system. What should happen?",
            [
                (
                    "Stop, check the current revision with your supervisor, and withdraw the old "
                    "copy",
                    True,
                ),
                ("Carry on: changes between revisions are usually small", False),
                ("Mark the changes up on the old copy by hand", False),
                ("Keep both copies at the workstation to compare", False),
            ],
            explanation=_text(
                """
                Only the current, approved version may be in use, and obsolete copies are kept
                from unintended use (7.5.3). Working from an old drawing is one of the most
                common causes of scrap.
                """
            ),
            clauses="ISO 9001 7.5.3",
        ),
        true_false_value(
            "Quality is the quality department's job; ISO 9001 asks nothing of the rest of us.",
            False,
            explanation=_text(
                """
                False. Top management answers for the system (5.1), and everyone is to be aware
                of their contribution to it (7.3). The operator's check is what stops a fault
                reaching the customer.
                """
            ),
            clauses="ISO 9001 5.1, ISO 9001 7.3",
        ),
        single_choice_value(
            "What is a corrective action for?",
            [
                ("Removing the cause of a nonconformity, so that it does not happen again", True),
                ("Deciding who is to blame for the mistake", False),
                ("Repairing the faulty parts", False),
                ("Closing the auditor's finding as quickly as possible", False),
            ],
            explanation=_text(
                """
                Repairing the parts is a correction; a corrective action removes the cause
                (10.2.1 b and c). Looking for someone to blame makes people stop reporting.
                """
            ),
            clauses="ISO 9001 10.2",
        ),
        multiple_choice_value(
            "Which of these are documented information that our system keeps as evidence?"
            + ALL_THAT_APPLY,
            [
                ("A signed first-off inspection record", True),
                ("Training records showing a person's competence", True),
                ("The calibration certificate of a gauge", True),
                ("A word in the canteen that the check was done", False),
            ],
            explanation=_text(
                """
                Records are kept as evidence of conformity (7.5), of competence (7.2) and of
                fit measuring equipment (7.1.5). What is not written down cannot be shown to a
                customer or an auditor.
                """
            ),
            clauses="ISO 9001 7.1.5, ISO 9001 7.2, ISO 9001 7.5",
        ),
    ]


def _iso_45001_questions() -> list[dict]:
    return [
        single_choice_value(
            "An extension lead trails across the walkway to Line 3. Nobody has tripped yet. "
            "What is it?",
            [
                ("A hazard", True),
                ("A near miss", False),
                ("An incident", False),
                ("Nothing to report until someone trips", False),
            ],
            explanation=_text(
                """
                A hazard is anything that could cause harm. Hazards are identified on an
                ongoing basis (6.1.2), before anyone is hurt.
                """
            ),
            clauses="ISO 45001 6.1.2",
        ),
        single_choice_value(
            "A pallet slips from a forklift and lands a metre from a colleague, who is unhurt. "
            "What is it?",
            [
                ("A near miss", True),
                ("A hazard only", False),
                ("An injury incident", False),
                ("A fault of the forklift, not a safety matter", False),
            ],
            explanation=_text(
                """
                It could have hurt someone but did not: a near miss. ISO 45001 counts near
                misses as incidents (3.35) and asks that they are reported and investigated
                like any other (10.2).
                """
            ),
            clauses="ISO 45001 10.2",
        ),
        single_choice_value(
            "When do you report a hazard or near miss?",
            [
                ("The same shift", True),
                ("Within a week", False),
                ("Only when someone was hurt", False),
                ("At the next monthly safety meeting", False),
            ],
            explanation=_text(
                """
                The same shift, while the facts are fresh and before the next person walks
                into the same danger.
                """
            ),
            clauses="ISO 45001 6.1.2, ISO 45001 10.2",
        ),
        multiple_choice_value(
            "You notice a guard missing from a press. What do you do?" + ALL_THAT_APPLY,
            [
                ("Make the area safe if you can do so without risk", True),
                ("Tell your supervisor", True),
                ("Fill in a hazard card, or the form on the intranet", True),
                ("Fit the guard from the press next to it", False),
                ("Leave it: someone else will have reported it", False),
            ],
            explanation=_text(
                """
                Make it safe, tell, record. Moving a guard from another machine creates a
                second hazard, and "someone else will report it" is how hazards stay in place
                for months.
                """
            ),
            clauses="ISO 45001 6.1.2, ISO 45001 10.2",
        ),
        true_false_value(
            "You may remove yourself from work you believe presents an imminent and serious "
            "danger, and you are protected from reprisal for doing so.",
            True,
            explanation=_text(
                """
                True. Workers are to be made aware that they may remove themselves from such
                situations (7.3 f), and top management protects them from reprisals for
                reporting hazards and incidents (5.1 j).
                """
            ),
            clauses="ISO 45001 5.1, ISO 45001 7.3",
        ),
        single_choice_value(
            "You handed in a hazard card. When will you hear what was done about it?",
            [
                ("Within five working days", True),
                ("Within a month", False),
                ("Only if something is changed", False),
                ("Never: reports are anonymous statistics", False),
            ],
            explanation=_text(
                """
                Our rule is an answer within five working days. People report again when they
                see that reporting changes things; workers are consulted and kept informed
                (5.4).
                """
            ),
            clauses="ISO 45001 5.4",
        ),
        true_false_value(
            "Reporting your own mistake will get you disciplined, so it is safer to keep quiet.",
            False,
            explanation=_text(
                """
                False. We look for causes in the way the work is set up, not for someone to
                blame. Reporting your own mistake is always the right thing to do.
                """
            ),
            clauses="ISO 45001 5.1, ISO 45001 10.2",
        ),
        multiple_choice_value(
            "Which of these are hazards?" + ALL_THAT_APPLY,
            [
                ("A fire exit blocked by empty pallets", True),
                ("A patch of oil on the floor by the press", True),
                ("A ladder with a cracked rung", True),
                ("A fire extinguisher on its bracket, inspected this month", False),
            ],
            explanation=_text(
                """
                Each of the first three could cause harm today. An inspected extinguisher in
                its place is a control, not a hazard.
                """
            ),
            clauses="ISO 45001 6.1.2",
        ),
        single_choice_value(
            "Why does every near-miss report matter?",
            [
                (
                    "Near misses come before injuries: each report is a chance to remove the "
                    "cause first",
                    True,
                ),
                ("The auditor counts them", False),
                ("The insurer asks for a monthly total", False),
                ("They are needed before anyone may stop a job", False),
            ],
            explanation=_text(
                """
                For every serious injury there are dozens of near misses before it. The report
                is the warning; acting on it is what prevents the injury.
                """
            ),
            clauses="ISO 45001 10.2",
        ),
        single_choice_value(
            "Who takes part in identifying the hazards in your area?",
            [
                ("The people who do the job, with their supervisor and the HSE team", True),
                ("Only the HSE manager", False),
                ("Only an outside consultant", False),
                ("Only top management", False),
            ],
            explanation=_text(
                """
                Clause 5.4 asks for the participation of non-managerial workers in identifying
                hazards: the people who do the job know where it can go wrong.
                """
            ),
            clauses="ISO 45001 5.4, ISO 45001 6.1.2",
        ),
    ]


def _iso_14001_questions() -> list[dict]:
    return [
        single_choice_value(
            "What is an environmental aspect?",
            [
                ("A part of our activities or products that can affect the environment", True),
                ("Damage already done to the environment", False),
                ("A permit from the environment agency", False),
                ("A department's environmental target", False),
            ],
            explanation=_text(
                """
                An aspect is the cause (running a compressor), the impact is the effect (energy
                used, emissions). We identify aspects and decide which are significant (6.1.2).
                """
            ),
            clauses="ISO 14001 6.1.2",
        ),
        multiple_choice_value(
            "Which of these are significant environmental aspects of our site?" + ALL_THAT_APPLY,
            [
                ("Electricity and compressed air on the production lines", True),
                ("Used machine coolant and oily waste", True),
                ("Diesel and LPG for the forklifts and delivery vans", True),
                ("Packaging waste: cardboard, stretch wrap and pallets", True),
                ("The brand of the coffee machine in the office", False),
            ],
            explanation=_text(
                """
                These four are on our register of significant aspects; each has controls in
                the areas where it arises.
                """
            ),
            clauses="ISO 14001 6.1.2",
        ),
        single_choice_value(
            "In Production, where does used machine coolant go?",
            [
                ("In the yellow drums only", True),
                ("Down the floor drain with plenty of water", False),
                ("In the general waste skip", False),
                ("In the lidded bin for oily rags", False),
            ],
            explanation=_text(
                """
                Coolant goes in the yellow drums and is collected by a licensed contractor;
                oily rags go in the lidded metal bin. Neither goes in general waste or a drain
                (8.1).
                """
            ),
            clauses="ISO 14001 8.1",
        ),
        multiple_choice_value(
            "Diesel is spreading across the yard towards a drain. What do you do?" + ALL_THAT_APPLY,
            [
                ("Keep yourself safe", True),
                ("Stop the source if you safely can", True),
                ("Use the nearest spill kit to stop it reaching the drain", True),
                ("Tell your supervisor and the HSE team straight away", True),
                ("Hose it into the drain to dilute it", False),
            ],
            explanation=_text(
                """
                Safe, stop, contain, tell. Surface drains lead to the stream behind the site:
                a few litres of diesel there is a reportable pollution incident (8.2).
                """
            ),
            clauses="ISO 14001 8.2",
        ),
        true_false_value(
            "A compressed-air leak you can hear is worth reporting, even though it harms nobody.",
            True,
            explanation=_text(
                """
                True. A leak you can hear wastes about as much energy as running a family car
                all year, and energy use is one of our significant aspects.
                """
            ),
            clauses="ISO 14001 6.1.2, ISO 14001 7.3",
        ),
        multiple_choice_value(
            "Which of these are the right way to handle waste in Logistics?" + ALL_THAT_APPLY,
            [
                ("Stretch wrap and cardboard go to the baler", True),
                ("Broken pallets go to the pallet bay for repair", True),
                ("Stretch wrap goes in the general skip", False),
                ("Broken pallets are burnt in the yard", False),
            ],
            explanation=_text(
                """
                Baled cardboard and film are recycled, and most broken pallets can be repaired.
                Burning waste on site is not allowed (8.1).
                """
            ),
            clauses="ISO 14001 8.1",
        ),
        single_choice_value(
            "Clause 7.3 asks you to be aware of which of these?",
            [
                (
                    "The significant environmental aspects of your work, and what you can do "
                    "about them",
                    True,
                ),
                ("The company's carbon trading strategy", False),
                ("The full text of ISO 14001", False),
                ("Every environmental law by its name", False),
            ],
            explanation=_text(
                """
                Awareness means the environmental policy, the significant aspects and impacts
                of your own work, your contribution, and what not conforming costs (7.3).
                """
            ),
            clauses="ISO 14001 7.3",
        ),
        true_false_value(
            "Our environmental policy commits us to protect the environment, including "
            "preventing pollution.",
            True,
            explanation=_text(
                """
                True. Clause 5.2 c asks for that commitment, together with fulfilling our
                compliance obligations and continual improvement.
                """
            ),
            clauses="ISO 14001 5.2",
        ),
        single_choice_value(
            "You find an unknown liquid leaking from an unlabelled drum. What do you do first?",
            [
                ("Keep away from it and tell your supervisor and the HSE team", True),
                ("Wipe it up with a cloth", False),
                ("Smell it to find out what it is", False),
                ("Leave it if the puddle is small", False),
            ],
            explanation=_text(
                """
                Never touch or smell an unknown liquid. The HSE team identifies it from the
                safety data sheets and decides how to clean it up (8.2).
                """
            ),
            clauses="ISO 14001 8.2",
        ),
    ]


# title → (module slug, rules, questions)
QUIZZES = {
    "ISO 9001 awareness: check your understanding": (
        "iso-9001-awareness",
        {
            "instructions": _text(
                """
                Eight questions, drawn from a bank of ten, on what our quality management
                system asks of you. You need **80 %** to pass and have **three attempts**;
                after each one you see which answers were right and why.
                """
            ),
            "pass_mark_percent": 80,
            "max_attempts": 3,
            "questions_to_draw": 8,
            "show_correct_answers": True,
        },
        _iso_9001_questions,
    ),
    "ISO 45001 hazard reporting: check your understanding": (
        "iso-45001-hazard-reporting",
        {
            "instructions": _text(
                """
                Ten questions on recognising and reporting hazards and near misses. You have
                **10 minutes** once you start: the clock runs on our server, so it keeps
                running if you close the page. You need **80 %** to pass and have **three
                attempts**.
                """
            ),
            "pass_mark_percent": 80,
            "max_attempts": 3,
            "time_limit_minutes": 10,
            "show_correct_answers": True,
        },
        _iso_45001_questions,
    ),
    "ISO 14001 environmental awareness: check your understanding": (
        "iso-14001-environmental-awareness",
        {
            "instructions": _text(
                """
                Nine questions on our environmental aspects and how to respond to a spill.
                Questions with several right answers give credit for each right choice and
                take it back for each wrong one. You need **70 %** to pass and have **three
                attempts**.
                """
            ),
            "pass_mark_percent": 70,
            "max_attempts": 3,
            "partial_credit": Quiz.PartialCredit.PROPORTIONAL,
            "show_correct_answers": True,
        },
        _iso_14001_questions,
    ),
}


@transaction.atomic
def seed_quizzes() -> dict[str, Quiz]:
    """Create the demo quizzes that do not exist yet (each with a first revision), attach each
    to its module when the module has no quiz, and return them keyed by module slug."""
    quizzes = {}
    slugs = [slug for slug, _rules, _questions in QUIZZES.values()]
    modules = {module.slug: module for module in TrainingModule.objects.filter(slug__in=slugs)}
    for title, (slug, rules, questions) in QUIZZES.items():
        quiz = Quiz.objects.filter(title=title).first()
        if quiz is None:
            quiz = Quiz(title=title, questions=questions(), **rules)
            quiz.save()
            quiz.save_revision(log_action="wagtail.create")
        quizzes[slug] = quiz
        module = modules.get(slug)
        if module is not None and module.quiz_id is None:
            _attach(module, quiz)
    return quizzes


def demo_quizzes() -> dict[str, Quiz]:
    """The demo quizzes that exist, keyed by the slug of the module each is made for."""
    by_title = {quiz.title: quiz for quiz in Quiz.objects.filter(title__in=list(QUIZZES))}
    return {slug: by_title[title] for title, (slug, _r, _q) in QUIZZES.items() if title in by_title}


def _attach(module: TrainingModule, quiz: Quiz) -> None:
    # A new revision, published, so the live page and the completion's evidence both name it.
    page = module.get_latest_revision_as_object()
    page.quiz = quiz
    page.save_revision(log_action=True).publish()
