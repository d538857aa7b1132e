#!/usr/bin/env python3
"""Test data for the SSH end-to-end scenario (called by data.sh; see there for usage).

tree DIR N              lay out N regular files (200 dirs x 100 files for N=20000) plus symlinks,
                        awkward names, an empty dir and one 50 MiB file; deterministic content
churn DIR SECONDS PIDFILE
                        every 0.5 s modify, add, rename and delete some files, for SECONDS or
                        until SIGTERM; writes its own pid to PIDFILE and removes it on exit
checksum DIR [GLOB...]  one sha256 over the sorted (path, type, mode, size, content sha256,
                        symlink target) of everything under DIR, except paths matching a GLOB
"""
import fnmatch
import hashlib
import os
import random
import signal
import stat
import sys
import time

FILES_PER_DIR = 100
DIRS_PER_TOP = 10
BIG_SIZE = 50 * 1024 * 1024


def file_path(k):
    d = k // FILES_PER_DIR
    return os.path.join(f"t{d // DIRS_PER_TOP:03d}", f"s{d % DIRS_PER_TOP}", f"f{k:06d}.dat")


def file_size(rng, k):
    if k % 200 == 7:  # 0.5 %: a few hundred KB
        return rng.randint(100_000, 500_000)
    if k % 20 == 3:  # 5 %: 4 to 32 KB
        return rng.randint(4096, 32768)
    return rng.randint(0, 2048)  # most: small, some empty


def file_mode(k):
    if k % 97 == 5:
        return 0o755
    if k % 53 == 2:
        return 0o600
    return 0o644


def content(rng, k, size):
    if size <= 2048:  # text-like, compressible
        line = f"file {k} of the cutover e2e tree\n".encode()
        return (line * (size // len(line) + 1))[:size]
    return rng.randbytes(size)


def write(path, data, mode):
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def tree(root, n):
    t0 = time.monotonic()
    os.makedirs(root, exist_ok=True)
    rng = random.Random(20231)
    total = 0
    dirs = set()
    links = 0
    for k in range(n):
        rel = file_path(k)
        d = os.path.dirname(rel)
        if d not in dirs:
            os.makedirs(os.path.join(root, d), exist_ok=True)
            dirs.add(d)
        size = file_size(rng, k)
        write(os.path.join(root, rel), content(rng, k, size), file_mode(k))
        total += size
        if k % 200 == 11:  # relative symlink to a sibling file
            link = os.path.join(root, d, f"link-{k:06d}")
            if os.path.lexists(link):
                os.unlink(link)
            os.symlink(os.path.basename(rel), link)
            links += 1
    # A directory symlink, awkward names, an empty directory, the big file.
    latest = os.path.join(root, "latest")
    if os.path.lexists(latest):
        os.unlink(latest)
    os.symlink(os.path.dirname(file_path(0)), latest)
    links += 1
    names = os.path.join(root, "names")
    os.makedirs(os.path.join(names, "with space"), exist_ok=True)
    for name in ["with space/a file.txt", "ünïcode-é.txt", "-leading-dash.txt", "quote'single.txt",
                 'quote"double.txt', "dollar$HOME.txt", "star*glob?.txt", "semi;colon&amp.txt"]:
        write(os.path.join(names, name), f"{name}\n".encode(), 0o644)
    os.makedirs(os.path.join(root, "empty"), exist_ok=True)
    big = os.path.join(root, "big.bin")
    brng = random.Random(50)
    with open(big, "wb") as f:
        for _ in range(BIG_SIZE // (1 << 20)):
            f.write(brng.randbytes(1 << 20))
    os.chmod(big, 0o644)
    total += BIG_SIZE
    dt = time.monotonic() - t0
    print(f"tree: {n} files in {len(dirs)} dirs, {links} symlinks, 8 odd names, big.bin 50 MiB, "
          f"{total / 1e6:.0f} MB under {root} in {dt:.1f}s", file=sys.stderr)
    print(f"figure: tree of {n} files in {dt:.1f}s")


def churn(root, seconds, pidfile):
    stopping = []

    def on_term(signum, frame):
        stopping.append(signum)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    with open(pidfile, "w") as f:
        f.write(f"{os.getpid()}\n")
    rng = random.Random()
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            p = os.path.join(dirpath, name)
            if os.path.isfile(p) and not os.path.islink(p) and name != "log.txt" and not name.endswith("big.bin"):
                files.append(p)
    churn_dir = os.path.join(root, "churn")
    os.makedirs(churn_dir, exist_ok=True)
    stats = {"ticks": 0, "modified": 0, "added": 0, "renamed": 0, "deleted": 0, "big-patched": 0}
    seq = 0
    end = time.monotonic() + seconds
    try:
        while time.monotonic() < end and not stopping:
            for p in rng.sample(files, min(5, len(files))):
                try:
                    with open(p, "ab") as f:
                        f.write(f"churn {time.time():.3f}\n".encode())
                    stats["modified"] += 1
                except FileNotFoundError:
                    pass
            for _ in range(5):
                seq += 1
                p = os.path.join(churn_dir, f"c-{os.getpid()}-{seq:06d}.dat")
                write(p, rng.randbytes(rng.randint(0, 8192)), 0o644)
                files.append(p)
                stats["added"] += 1
            if files:
                i = rng.randrange(len(files))
                new = files[i] + ".renamed"
                try:
                    os.rename(files[i], new)
                    files[i] = new
                    stats["renamed"] += 1
                except FileNotFoundError:
                    pass
            for _ in range(3):
                if not files:
                    break
                p = files.pop(rng.randrange(len(files)))
                try:
                    os.unlink(p)
                    stats["deleted"] += 1
                except FileNotFoundError:
                    pass
            big = os.path.join(root, "big.bin")
            if stats["ticks"] % 10 == 0 and os.path.isfile(big):
                size = os.path.getsize(big)
                with open(big, "r+b") as f:
                    f.seek(rng.randrange(max(1, size - 4096)))
                    f.write(rng.randbytes(4096))
                stats["big-patched"] += 1
            stats["ticks"] += 1
            deadline = time.monotonic() + 0.5
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        print("churn: " + ", ".join(f"{k} {v}" for k, v in stats.items()), flush=True)
        try:
            with open(pidfile) as f:
                if f.read().strip() == str(os.getpid()):
                    os.unlink(pidfile)
        except FileNotFoundError:
            pass


def checksum(root, excludes):
    root_b = os.fsencode(root)
    records = []

    def walk(rel):
        full = os.path.join(root_b, rel) if rel else root_b
        with os.scandir(full) as it:
            entries = list(it)
        for e in entries:
            r = os.path.join(rel, e.name) if rel else e.name
            rs = os.fsdecode(r)
            if any(fnmatch.fnmatchcase(rs, g) for g in excludes):
                continue
            st = e.stat(follow_symlinks=False)
            mode = f"{stat.S_IMODE(st.st_mode):04o}".encode()
            if stat.S_ISLNK(st.st_mode):
                records.append(b"\0".join([r, b"l", mode, b"0", b"", os.readlink(e.path)]))
            elif stat.S_ISDIR(st.st_mode):
                records.append(b"\0".join([r, b"d", mode, b"0", b"", b""]))
                walk(r)
            elif stat.S_ISREG(st.st_mode):
                h = hashlib.sha256()
                with open(e.path, "rb") as f:
                    while chunk := f.read(1 << 20):
                        h.update(chunk)
                records.append(b"\0".join([r, b"f", mode, str(st.st_size).encode(), h.hexdigest().encode(), b""]))
            else:
                records.append(b"\0".join([r, b"o", mode, b"0", b"", b""]))

    walk(b"")
    records.sort()
    total = hashlib.sha256()
    for rec in records:
        total.update(rec + b"\n")
    print(f"checksum: {len(records)} entries under {root}", file=sys.stderr)
    print(total.hexdigest())


def main(argv):
    if len(argv) >= 3 and argv[0] == "tree":
        tree(argv[1], int(argv[2]))
    elif len(argv) == 4 and argv[0] == "churn":
        churn(argv[1], float(argv[2]), argv[3])
    elif len(argv) >= 2 and argv[0] == "checksum":
        if not os.path.isdir(argv[1]):
            sys.exit(f"checksum: {argv[1]} is not a directory")
        checksum(argv[1], argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
