#!/bin/sh
# The command line against its NumPy peer (benches/numpy_peer.py), side by side, one thread each
# (then the command line on all cores): workloads A (Gaussian, 20,000 runs x 100 samples x 50
# generations), B (tokens, 100 runs x V = N = 10,000 x 100 generations) and C (many small runs:
# Gaussian, 10,000 runs x 2 samples x 1,000 generations). NumPy runs only when it is importable
# (`pip install numpy`, optionally scipy); it is not part of the test command.
set -eu
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
cargo build --release --locked -q
bin="$CARGO_TARGET_DIR/release/collapse"
cores=$(nproc)
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
have_numpy=0
python3 -c 'import numpy' 2>/dev/null && have_numpy=1

seconds() { # runs "$@", prints the elapsed seconds
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc -l | awk '{printf "%.3f", $1}'
}

median() { # the median of its arguments
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.3f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Each side runs $REPEAT times (default 5), the two alternating so that a change in the
# machine's load falls on both; the table shows the medians (this virtual machine's timings
# vary by 15-30% from one run to the next: the kernel's zeroing of fresh pages, for one).
repeat=${REPEAT:-5}
echo "median of $repeat runs each, alternating" >&2
printf '%-44s %9s %9s %7s %11s\n' workload "CLI 1 th" NumPy ratio "CLI ${cores} th"
row() { # name, numpy args, then the CLI arguments
    name=$1 peer=$2
    shift 2
    ones="" alls="" nps=""
    i=0
    while [ "$i" -lt "$repeat" ]; do
        ones="$ones $(seconds "$bin" run --quiet --threads 1 "$@")"
        alls="$alls $(seconds "$bin" run --quiet --threads "$cores" "$@")"
        if [ "$have_numpy" = 1 ]; then
            nps="$nps $(python3 benches/numpy_peer.py $peer 2>/dev/null)"
        fi
        i=$((i + 1))
    done
    one=$(median $ones) all=$(median $alls)
    if [ "$have_numpy" = 1 ]; then
        np=$(median $nps)
        ratio=$(echo "$np / $one" | bc -l | awk '{printf "%.1fx", $1}')
    else
        np=- ratio=-
    fi
    printf '%-44s %8ss %8ss %7s %10ss\n' "$name" "$one" "$np" "$ratio" "$all"
}
row "A gaussian 20000 runs x M=100 x 50 gen" "gaussian 20000 100 50" --runs 20000 --set generations=50
row "B tokens 100 runs x V=N=10000 x 100 gen" "tokens 100 10000 100" --set model=tokens --runs 100
row "C gaussian 10000 runs x M=2 x 1000 gen" "gaussian 10000 2 1000" --runs 10000 --set samples=2 --set generations=1000
