"""The samples grouped into lessons for the first screen."""

from __future__ import annotations

from wasi_playground.core.samples import LESSON_GROUPS, lessons, list_samples


def test_every_bundled_sample_is_in_a_lesson_group_once():
    groups = lessons()
    assert [g.key for g in groups] == [key for key, _, _ in LESSON_GROUPS]
    placed = [s.name for g in groups for s in g.samples]
    assert sorted(placed) == sorted(s.name for s in list_samples())
    assert len(placed) == len(set(placed))


def test_each_group_teaches_in_order_with_one_line_lessons():
    groups = {g.key: g for g in lessons()}
    assert [s.name for s in groups["first-steps"].samples][0] == "hello"
    assert "env" in [s.name for s in groups["deny-by-default"].samples]
    assert "typed-component" in [s.name for s in groups["beyond-commands"].samples]
    for group in groups.values():
        assert group.title and group.summary
        assert [s.order for s in group.samples] == sorted(s.order for s in group.samples)
        assert all(s.teaches and "\n" not in s.teaches for s in group.samples)


def test_a_sample_without_a_group_is_shown_last_not_lost(tmp_path):
    for name, meta in [("a", '{"title": "A", "group": "limits", "order": 2}'),
                       ("b", '{"title": "B", "group": "limits", "order": 1}'),
                       ("c", '{"title": "C"}'), ("d", '{"title": "D", "group": "nonsense"}')]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "sample.json").write_text(meta)
    groups = lessons(tmp_path)
    assert [(g.key, [s.name for s in g.samples]) for g in groups] == [("limits", ["b", "a"]),
                                                                       ("other", ["c", "d"])]
