import pytest
from wagtail.blocks.struct_block import StructBlockValidationError

from quizzes.blocks import QUESTION_BLOCKS

BLOCKS = dict(QUESTION_BLOCKS)


def _value(kind, choices):
    block = BLOCKS[kind]
    return block, block.to_python(
        {
            "text": "Which document sets the quality objectives?",
            "explanation": "",
            "clauses": "",
            "choices": [{"text": text, "correct": correct} for text, correct in choices],
        }
    )


@pytest.mark.parametrize("kind", ["single_choice", "multiple_choice"])
def test_a_question_with_no_correct_choice_is_refused(kind):
    block, value = _value(kind, [("The policy", False), ("The plan", False)])
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    assert raised.value.block_errors["choices"].messages == ["Mark at least one choice as correct."]


def test_a_single_choice_question_with_two_correct_choices_is_refused():
    block, value = _value("single_choice", [("The policy", True), ("The plan", True)])
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    (message,) = raised.value.block_errors["choices"].messages
    assert message.startswith("A single-choice question has exactly one correct choice; 2 are")


def test_a_multiple_choice_question_may_have_several_correct_choices():
    block, value = _value("multiple_choice", [("The policy", True), ("The plan", True)])
    assert len(block.clean(value)["choices"]) == 2


def test_two_choices_with_the_same_text_are_refused():
    block, value = _value("single_choice", [("The policy", True), ("the  Policy", False)])
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    assert "same text" in raised.value.block_errors["choices"].messages[0]


@pytest.mark.django_db
def test_a_quiz_cannot_draw_more_questions_than_its_bank_holds():
    from django.core.exceptions import ValidationError

    from tests.quizzes.factories import make_quiz

    quiz = make_quiz(questions_to_draw=4)
    with pytest.raises(ValidationError) as raised:
        quiz.full_clean()
    assert raised.value.message_dict["questions_to_draw"] == [
        "The bank has 3 questions; it cannot draw 4."
    ]
