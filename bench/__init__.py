"""The benchmark harness (outside the service): ``modelatlas bench`` over HTTP with wrk, its in-process profile,
``modelatlas bench-scale`` on synthetic catalogs, and the live-server launcher the tests share.

    http.py      run_bench: each query through /graphql against its ceiling, cache off and on
    ceiling.py   the app under bench plus its ceiling routes, and how the bench server is run
    server.py    launch: a real server process on a free port, ready on /readyz, always stopped
    query.py     the committed queries (queries/*.graphql, variables in *.json)
    wrk.py       running wrk (post.lua) and reading its report
    report.py    rows, verdicts, the results files and BENCHMARKS.md's generated block
    profile.py   ``bench --profile`` (pyinstrument, the bench extra)
    scale.py     ``bench-scale``: load time, memory and latency at growing catalog sizes
"""
