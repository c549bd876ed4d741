"""The README's in-process example is a test: it must run and print what the README says."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_in_process_example_runs_and_prints_what_it_promises():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Using the service in-process", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["P1 (Approve Q1 hiring plan) is now done", "10"]
    assert "It prints `P1 (Approve Q1 hiring plan) is now done` and `10`" in section


async def test_the_readme_collector_runs_through_the_hooks(tmp_path):
    from src.bootstrap import add_collector, create_container
    from src.config import Settings

    section = (ROOT / "README.md").read_text().split("### Writing a collector", 1)[1]
    namespace: dict = {}
    exec(re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1), namespace)
    container = create_container(Settings(_env_file=None, data_dir=tmp_path))
    add_collector(container, namespace["CrmCollector"])
    await container.init_resources()
    try:
        await container.trigger_collection()("quick")
        await container.collection_jobs().wait()
        state = await container.get_state()()
        assert state.system.status.value == "IDLE"
        assert [p.title for p in state.priorities] == ["Call Globex"]
        assert (await container.search_records()("globex")).hits[0].source == "crm"
    finally:
        await container.shutdown_resources()
