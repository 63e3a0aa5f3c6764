"""The command line the corpus benchmarks share: CORPUS [--make N] [--normtool BIN] [--rounds R].

`--make N` writes a corpus of N images with the script's own `make_corpus` and stops;
otherwise `--normtool` (the release build) is required.
"""
import argparse
import pathlib


def parse(doc, make_corpus, rounds=3, extra=None):
    """Parses sys.argv; runs `make_corpus(corpus, N)` and exits for --make N.

    `extra(parser)` adds a script's own options before parsing.
    """
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=pathlib.Path)
    ap.add_argument("--make", type=int, help="write a corpus of this many images to CORPUS and stop")
    ap.add_argument("--normtool", help="the release normtool")
    ap.add_argument("--rounds", type=int, default=rounds)
    if extra:
        extra(ap)
    args = ap.parse_args()
    if args.make:
        make_corpus(args.corpus, args.make)
        raise SystemExit(0)
    if not args.normtool:
        ap.error("--normtool is required")
    return args
