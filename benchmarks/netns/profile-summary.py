"""Summarises `perf script -F comm,pid,tid,ip,sym,dso` of the two proxy processes.

    python3 profile-summary.py SAMPLES.txt LOCAL_PID REMOTE_PID

Prints markdown tables, each in percent of all samples of both processes (a sample is one tick of a
CPU running one of their threads):
  - where the time goes, by the function a sample stopped in (self time), grouped into areas:
    the kernel by the system call it serves, the runtime, managed code by assembly, TLS;
  - the threads by kind;
  - the engine's and the relay's stages, inclusive: the outermost ProgMp method on each stack, so a
    stage's share includes the kernel calls and runtime work done under it;
  - the hottest ProgMp methods (self and inclusive), the hottest kernel functions, the samples in
    the runtime (its symbols are stripped), spinning, sleeping and clearing memory by the managed
    method nearest on the stack, and managed copies by who asked for them.
"""

import collections
import re
import sys

HEADER = re.compile(r"^(?P<comm>.*?)\s+(?P<pid>\d+)/(?P<tid>\d+)\s*$")
FRAME = re.compile(r"^\s+[0-9a-f]+\s+(?P<sym>.*)\s+\((?P<dso>[^()]*)\)\s*$")
ASSEMBLY = re.compile(r"\[(?P<assembly>[A-Za-z0-9_.]+)\]\s")
METHOD = re.compile(r"\]\s(?P<method>[^\s(]+?::[^\s(]+?)\(")

# Areas whose own frames do not say why they run: shown by the nearest managed method on the stack.
CALLERS_OF = {
    "runtime: libcoreclr": "libcoreclr",
    "kernel: sched_yield": "sched_yield",
    "kernel: futex": "futex",
    "libc: __memset": "memset",
    "runtime: JIT compiler": "JIT",
}

COPIES = "managed: copies and clears"

SEND_CALLS = {"sendto", "sendmsg", "write", "writev", "sendmmsg"}
RECEIVE_CALLS = {"recvfrom", "recvmsg", "read", "readv", "recvmmsg"}


def read_samples(path):
    """Yields (comm, pid, frames) per sample; frames are (sym, dso), the leaf first."""
    comm = pid = None
    frames = []
    with open(path, encoding="utf-8", errors="replace") as text:
        for line in text:
            if not line.strip():
                if pid is not None and frames:
                    yield comm, pid, frames
                comm, pid, frames = None, None, []
                continue
            header = HEADER.match(line)
            if header and not line.startswith("\t"):
                comm, pid, frames = header["comm"].strip(), int(header["pid"]), []
                continue
            frame = FRAME.match(line)
            if frame:
                frames.append((frame["sym"], frame["dso"]))
    if pid is not None and frames:
        yield comm, pid, frames


def is_kernel(dso):
    return dso.startswith("[kernel")


def is_jitted(dso):
    return dso.startswith("/tmp/perf-") and dso.endswith(".map")


def file_name(dso):
    return dso.rsplit("/", 1)[-1]


def method_name(sym):
    """`instance void [ProgMp.Engine] ProgMp.Engine.X+<Y>d__1::MoveNext()[OptimizedTier1]` -> `ProgMp.Engine.X+<Y>d__1::MoveNext`."""
    match = METHOD.search(sym)
    return match["method"] if match else sym


def assembly_of(sym):
    match = ASSEMBLY.search(sym)
    return match["assembly"] if match else "?"


def system_call(frames):
    """The system call a kernel stack serves (outermost first), or None."""
    for sym, dso in reversed(frames):
        if is_kernel(dso):
            for prefix in ("__x64_sys_", "__do_sys_", "__se_sys_"):
                if sym.startswith(prefix):
                    return sym[len(prefix):]
    return None


def kernel_area(frames):
    call = system_call(frames)
    if call is None:
        if any(sym.startswith("asm_exc_page_fault") for sym, _ in frames):
            return "kernel: page faults"
        return "kernel: interrupts, softirq and the rest outside system calls"
    if call in SEND_CALLS:
        return "kernel: send (TCP transmit, veth, and the peer's receive that runs inline)"
    if call in RECEIVE_CALLS:
        return "kernel: receive (copy out of the socket)"
    if call.startswith("epoll"):
        return "kernel: epoll_wait"
    if call == "futex":
        return "kernel: futex (a thread waking another, or going to sleep)"
    if call == "sched_yield":
        return "kernel: sched_yield (a spinning thread)"
    return "kernel: other system calls (" + call + ")"


def user_area(sym, dso):
    name = file_name(dso)
    if is_jitted(dso):
        assembly = assembly_of(sym)
        if assembly == "ProgMp.Engine":
            return "managed: the engine (ProgMp.Engine)"
        if assembly == "ProgMp.Proxy":
            return "managed: the relay (ProgMp.Proxy)"
        if assembly == "System.Net.Security":
            return "managed: TLS (System.Net.Security)"
        if assembly == "System.Net.Sockets":
            return "managed: sockets (System.Net.Sockets)"
        if assembly == "System.IO.Pipelines":
            return "managed: pipelines (System.IO.Pipelines)"
        method = method_name(sym)
        if "Memmove" in method or "Buffer::" in method or "SpanHelpers::Fill" in method or "SpanHelpers::Clear" in method:
            return "managed: copies and clears (Memmove, Fill, Clear)"
        if method.startswith(("System.Threading.", "System.Runtime.CompilerServices.Async")):
            return "managed: tasks, thread pool, locks (System.Threading, async builders)"
        return "managed: other (" + assembly + ")"
    if name == "libcoreclr.so":
        return "runtime: libcoreclr (GC, allocation, type checks, locks; stripped)"
    if name == "libclrjit.so":
        return "runtime: JIT compiler"
    if name.startswith(("libssl", "libcrypto")):
        return "TLS: OpenSSL (" + name.split(".so")[0] + ")"
    if name.startswith("libc.so") or name.startswith("libc-"):
        base = re.sub(r"_(avx|evex|erms|sse|unaligned).*$", "", sym.split("+")[0])
        return "libc: " + base
    if name == "libSystem.Native.so":
        return "runtime: System.Native (system call shims)"
    if name.endswith(".dll"):
        return "managed: precompiled (ReadyToRun) framework code"
    return "other: " + name


def area(frames):
    sym, dso = frames[0]
    return kernel_area(frames) if is_kernel(dso) else user_area(sym, dso)


def thread_kind(comm):
    return re.sub(r"\s*#?\d+$", "", comm) or "?"


def nearest_managed(frames):
    for sym, dso in frames:
        if is_jitted(dso):
            return method_name(sym)
    return "(no managed caller)"


def nearest_caller_outside_corelib(frames):
    """The first managed frame above the leaf that is not the base library's (Span.CopyTo's caller, say)."""
    for sym, dso in frames[1:]:
        if is_jitted(dso) and assembly_of(sym) != "System.Private.CoreLib":
            return method_name(sym)
    return "(no caller outside System.Private.CoreLib)"


def outermost_progmp(frames):
    for sym, dso in reversed(frames):
        if is_jitted(dso) and assembly_of(sym).startswith("ProgMp."):
            return method_name(sym)
    return None


def table(title, counter, total, limit=None, least=0.3):
    """The rows with at least `least` percent, `limit` at most, then the rest in one row."""
    print()
    print("| " + title + " | % |")
    print("|---|---:|")
    rows = [(key, count) for key, count in counter.most_common(limit) if 100.0 * count / total >= least]
    for key, count in rows:
        print(f"| {key} | {100.0 * count / total:.1f} |")
    rest = sum(counter.values()) - sum(count for _, count in rows)
    if rest > 0:
        print(f"| (the rest) | {100.0 * rest / total:.1f} |")


def main():
    path, local_pid, remote_pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    process = collections.Counter()
    areas = collections.Counter()
    groups = collections.Counter()
    threads = collections.Counter()
    stages = collections.Counter()
    engine_self = collections.Counter()
    engine_inclusive = collections.Counter()
    callers = collections.Counter()
    copies = collections.Counter()
    kernel_self = collections.Counter()
    total = 0
    for comm, pid, frames in read_samples(path):
        total += 1
        process["local proxy" if pid == local_pid else "remote proxy" if pid == remote_pid else f"pid {pid}"] += 1
        where = area(frames)
        areas[where] += 1
        groups[where.split(":")[0]] += 1
        threads[thread_kind(comm)] += 1
        stages[outermost_progmp(frames) or "(no ProgMp method on the stack)"] += 1
        sym, dso = frames[0]
        if is_jitted(dso) and assembly_of(sym).startswith("ProgMp."):
            engine_self[method_name(sym)] += 1
        if is_kernel(dso):
            kernel_self[sym.split("+")[0]] += 1
        short = CALLERS_OF.get(where.split(" (")[0])
        if short:
            callers[short + " <- " + nearest_managed(frames)] += 1
        elif where.startswith(COPIES):
            copies[nearest_caller_outside_corelib(frames)] += 1
        seen = set()
        for frame_sym, frame_dso in frames:
            if is_jitted(frame_dso) and assembly_of(frame_sym).startswith("ProgMp."):
                seen.add(method_name(frame_sym))
        for method in seen:
            engine_inclusive[method] += 1
    if total == 0:
        print("no samples")
        return
    print(f"{total} samples")
    table("process", process, total)
    table("group (self time)", groups, total)
    table("area (self time)", areas, total)
    table("thread", threads, total, 8)
    table("outermost ProgMp method on the stack (inclusive)", stages, total, 12)
    table("ProgMp method, inclusive", engine_inclusive, total, 20)
    table("ProgMp method, self", engine_self, total, 15)
    table("runtime, spinning, sleeping and clearing, by the nearest managed caller", callers, total, 20)
    table("managed copies and clears, by the caller outside System.Private.CoreLib", copies, total, 10)
    table("kernel function, self", kernel_self, total, 15)


if __name__ == "__main__":
    main()
