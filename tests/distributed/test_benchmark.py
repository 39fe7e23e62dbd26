"""benchmarks/ddp.py --tiny: the DDP benchmark runs on 1 and 2 ranks and reports its columns."""

import json

from tests.distributed.launch import ROOT, needs_mpi, output, run_python


@needs_mpi
def test_the_ddp_benchmark_smoke_run(tmp_path):
    out = tmp_path / "ddp.json"
    result = run_python(str(ROOT / "benchmarks" / "ddp.py"), "--tiny", "--json", str(out))
    assert result.returncode == 0, output(result)
    assert "| ranks | batch/rank | ms/step | samples/s |" in result.stdout
    runs = json.loads(out.read_text())["results"]
    assert [r["ranks"] for r in runs] == [1, 2]
    for r in runs:
        assert r["samples_per_s"] > 0 and r["wait"] >= 0 and r["allreduce_alone"] > 0
    assert runs[0]["loss"] != runs[1]["loss"]  # 2 ranks average two batches, not one
