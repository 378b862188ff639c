"""The queue that runs memory work needing the model only while no turn needs it."""
import asyncio

from kindred.memory.embedder import HashEmbedder
from kindred.memory.extraction_queue import ExtractionQueue, Job
from kindred.memory.long_term import open_long_term_memory

from .helpers import Harness


class Work:
    """A job whose thinking takes ``seconds`` with the model and nothing by the rules; records what happened."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.started: list[bool] = []  # with_model, per start
        self.kept: list[str] = []

    def job(self, key: str = "job") -> Job:
        async def think(with_model: bool) -> str:
            self.started.append(with_model)
            if with_model:
                await asyncio.sleep(self.seconds)
            return "model" if with_model else "rules"

        async def keep(result: str) -> None:
            self.kept.append(result)
        return Job(key, think, keep)


async def until(condition, timeout_s: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_a_job_waits_for_the_turn_to_end_and_a_quiet_moment():
    queue, work = ExtractionQueue(quiet_s=0.2), Work()
    queue.turn_started()
    queue.submit(work.job())
    await asyncio.sleep(0.3)
    assert work.started == []  # a turn holds the model
    queue.turn_ended()
    await asyncio.sleep(0.05)
    assert work.started == []  # the next message often follows a reply at once
    await until(lambda: work.kept == ["model"])


async def test_a_turn_takes_the_model_back_and_the_job_runs_again_later():
    queue, work = ExtractionQueue(quiet_s=0.0), Work(seconds=0.3)
    queue.submit(work.job())
    await until(lambda: work.started == [True])
    queue.turn_started()  # mid-thought
    await asyncio.sleep(0.4)
    assert work.kept == [] and queue.preemptions == 1 and queue.pending == 1
    queue.turn_ended()
    await until(lambda: work.kept == ["model"])
    assert work.started == [True, True] and queue.done == 1


async def test_work_that_waited_too_long_gets_the_rules_even_during_turns():
    queue, work = ExtractionQueue(quiet_s=0.0, max_wait_s=0.0), Work(seconds=10)
    queue.turn_started()
    queue.submit(work.job())
    await until(lambda: work.kept == ["rules"])  # the model was never touched
    assert work.started == [False]


async def test_a_job_pre_empted_too_often_gets_the_rules():
    queue, work = ExtractionQueue(quiet_s=0.0, max_preemptions=2), Work(seconds=10)
    queue.submit(work.job())
    for count in (1, 2):
        await until(lambda count=count: len(work.started) == count)
        queue.turn_started()
        queue.turn_ended()
    await until(lambda: work.kept == ["rules"])
    assert work.started == [True, True, False]


async def test_drain_uses_the_model_until_the_deadline_then_the_rules():
    queue, quick, slow = ExtractionQueue(quiet_s=60), Work(seconds=0.01), Work(seconds=60)
    queue.submit(quick.job("quick"))
    queue.submit(slow.job("slow"))
    started = asyncio.get_running_loop().time()
    await queue.drain(0.5)  # no quiet moment needed: nobody is talking any more
    assert quick.kept == ["model"] and slow.kept == ["rules"] and queue.pending == 0
    assert asyncio.get_running_loop().time() - started < 3


class SlowExtractor:
    backend = model = "scripted"

    def __init__(self, answer: str, seconds: float) -> None:
        self.answer, self.seconds, self.calls = answer, seconds, 0

    async def stream(self, messages, options):
        self.calls += 1
        await asyncio.sleep(self.seconds)
        yield self.answer


ANSWER = '{"facts": [{"topic": "sister\'s name", "value": "Mina", "category": "person"}], "open": []}'


async def test_facts_come_after_the_turn_from_the_queue_and_not_for_a_forgotten_turn(tmp_path):
    harness = Harness(tmp_path / "k.db")
    memory = open_long_term_memory(harness.store, chat=SlowExtractor(ANSWER, 0.2), embedder=HashEmbedder())
    memory.queue.quiet_s = 0.0
    harness.book, harness.rememberer = memory.book, memory.rememberer
    _, _, report = await harness.say("u", "My sister Mina is visiting.")
    assert report.queued and report.facts == () and report.indexed == 2  # the turn itself is indexed at once
    await memory.finish(5)
    assert [m.value for m in await memory.book.list("u", kind="fact")] == ["Mina"]

    memory.turn_started()  # "forget that" arrives before the next extraction runs
    _, turn_id, _ = await harness.say("v", "My sister Mina is visiting.")
    await memory.book.forget_turn("v", turn_id)
    memory.turn_ended()
    await memory.finish(5)
    assert await memory.book.list("v", kind="fact") == []
    await harness.close()
