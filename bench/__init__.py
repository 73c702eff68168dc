"""Benchmarks that print ratios against a baseline measured in the same run.

``python -m bench [--quick] [--only P1,P4]`` (or ``make bench [QUICK=1]``). Every figure is
one line: ``P<n> <what> <ours> <baseline> <ratio> goal=…``. Results and the machine they ran
on are written down in ``docs/benchmarks.md``.

``common``        processes, ports, medians, memory sampling, the line format
``p1_gateway``    chat streams through Schreibstube vs straight to the upstream (and LiteLLM)
``p2_ingestion``  pages/s of ``read_document`` vs raw pypdfium2
``p3_retrieval``  retrieval (written separately; skipped when absent)
``p4_embedded``   tokens/s of the embedded model through ``Response`` vs raw llama_cpp
``p5_summary``    map-reduce wall time vs (calls ÷ concurrency) × single-call latency

Load goes to 127.0.0.1 only, and every loop is bounded in count and time.
"""
