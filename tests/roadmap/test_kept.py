"""A process's bounded store (roadmap/kept.py): the entry used least recently goes first."""

from roadmap.kept import Kept, forget_all


def test_a_store_never_holds_more_than_its_size():
    store = Kept(3)
    for n in range(10):
        store.keep(n, str(n))
    assert [store.get(n) for n in range(10)] == [None] * 7 + ["7", "8", "9"]
    forget_all()


def test_an_entry_in_use_outlives_newer_ones_nobody_reads():
    # A learner's unchanged phases are kept early and read on every page; the ticked phase's
    # new versions arrive one after another. Dropping by age alone would drop the ones in use.
    store = Kept(3)
    store.keep("in use", "phase")
    for version in range(10):
        assert store.get("in use") == "phase"
        store.keep(("ticked", version), "new phase")
    assert store.get("in use") == "phase"
    assert store.get(("ticked", 9)) == "new phase"
    assert store.get(("ticked", 7)) is None  # superseded versions age out
    forget_all()


def test_through_builds_once_and_marks_its_entry_used():
    store, built = Kept(2), []

    def build(value):
        built.append(value)
        return value

    assert store.through("a", lambda: build("A")) == "A"
    store.keep("b", "B")
    assert store.through("a", lambda: build("again")) == "A"  # kept: not built again
    store.keep("c", "C")  # drops b, used less recently than a
    assert (store.get("a"), store.get("b"), built) == ("A", None, ["A"])
    forget_all()
