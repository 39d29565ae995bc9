"""`evharness sim --processes N`: the stations spread over N worker processes, seen as one fleet.

The parent (`parent`) splits the station numbers into N contiguous ranges and starts one
`python -m evharness sim` per range: the same command in worker mode (the hidden `--worker-dir`),
its options passed by their environment variables (no secret on a command line), only the range
and the worker directory as flags. A worker raises its open-files soft limit to the hard limit
(`limits`), runs its stations as a single-process `evharness sim` does, and writes into its
directory the port of its own control API (`control.json`, when there is one) and, at the end, its
summary with the raw latencies (`summary.json`). The parent merges the summaries (`merge`) into the
one summary a single process prints; a worker that exits without one is reported as dead, naming
its stations and its exit code.

The control API of the whole fleet is the parent's (`proxy`): it serves the pages itself and asks
the workers for the rest — `/stations` and `/metrics` gathered from every worker, a station's own
resources and commands sent to the worker that holds it (the parent knows every range), the fleet
view merged from each worker's slice of the table. Workers never talk to each other and hold no
state of the parent: the parent only routes, so a dead worker costs its own stations and nothing
else.
"""
