#!/usr/bin/env python3
"""gen-rust-project.py - write rust-project.json so rust-analyzer sees
keel's crates as rust/rust.mk builds them (keel has no Cargo.toml).

`make rust-analyzer` calls this with rust.mk's own variables: the
sysroot and library sources of /usr/bin/rustc, the build directory
(bindings include the generated file through env!("OBJTREE")), the
macros proc-macro library, the flags of keel's crates (--target, --cfg
and --edition are taken from them) and the driver/sample crate roots.

Layout:

    sysroot_project   core, alloc, std, proc_macro from the library
                      sources (what `rustc --print sysroot` ships)
    crates            compiler_builtins, macros (proc-macro, host),
                      bindings, uapi, kernel -> bindings, uapi, macros;
                      each library crate (lib/<name>/lib.rs, --lib:
                      core only); each driver/sample/policy -> kernel,
                      macros and every library crate, as rust.mk's
                      RUST_DRIVER_FLAGS give them

The library crates go in "sysroot_project" rather than in "crates" (as
Linux's generator does) because rust-analyzer treats only sysroot
crates as the language's own: listed as ordinary crates, core's
inherent methods on primitives (`<[T]>::len`, `u64::saturating_sub`)
are not found, and rust-analyzer reports dozens of false errors in the
kernel crate. It also keeps rust-analyzer from running `cargo metadata`
on the library sources, which needs crates.io. Every crate depends on
the sysroot's core/alloc/std implicitly, and a proc-macro crate on its
proc_macro; alloc is the host's (std needs its infallible API), so
--cfg no_global_oom_handling from the kernel build is not modelled
(keel's crates use KBox/KVec, not alloc's types).
"""

import argparse
import json
import os
import shlex
import sys


def flag_values(flags, name):
    """Values of `--name X` / `--name=X` in a flag list."""
    out = []
    for i, f in enumerate(flags):
        if f == name and i + 1 < len(flags):
            out.append(flags[i + 1])
        elif f.startswith(name + "="):
            out.append(f[len(name) + 1:])
    return out


class Graph:
    def __init__(self):
        self.crates = []
        self.index = {}

    def add(self, name, root, deps=(), edition="2021", cfg=(), env=None,
            member=True, target=None, **extra):
        crate = {
            "display_name": name,
            "root_module": os.path.abspath(root),
            "edition": edition,
            "deps": [{"crate": self.index[d], "name": d} for d in deps],
            "cfg": list(cfg),
            "env": dict(env or {}),
            "is_workspace_member": member,
        }
        if target:
            crate["target"] = target
        crate.update(extra)
        self.index[name] = len(self.crates)
        self.crates.append(crate)


def sysroot_project(src):
    """The library crates, as the sysroot's own crate graph."""
    g = Graph()
    for name, deps in (("core", []), ("alloc", ["core"]),
                       ("std", ["core", "alloc"]),
                       ("proc_macro", ["core", "std"])):
        g.add(name, os.path.join(src, name, "src", "lib.rs"), deps,
              edition="2024", member=False)
    return {"crates": g.crates}


def build(args):
    keel_flags = shlex.split(args.keel_flags)
    edition = (flag_values(keel_flags, "--edition") or ["2021"])[-1]
    keel_cfg = flag_values(keel_flags, "--cfg")
    target = (flag_values(keel_flags, "--target") or [None])[-1]
    objtree = os.path.abspath(args.objtree)
    g = Graph()
    g.add("compiler_builtins", "rust/compiler_builtins.rs", target=target)
    g.add("macros", "rust/macros/lib.rs", is_proc_macro=True,
          proc_macro_dylib_path=os.path.abspath(args.macros_dylib))
    g.add("bindings", "rust/bindings/lib.rs", edition=edition,
          cfg=keel_cfg, env={"OBJTREE": objtree}, target=target,
          source={"include_dirs": [os.path.abspath("rust/bindings"),
                                   os.path.join(objtree, "rust")],
                  "exclude_dirs": []})
    g.add("uapi", "rust/uapi/lib.rs", edition=edition,
          cfg=keel_cfg, env={"OBJTREE": objtree}, target=target,
          source={"include_dirs": [os.path.abspath("rust/uapi"),
                                   os.path.join(objtree, "rust")],
                  "exclude_dirs": []})
    g.add("kernel", "rust/kernel/lib.rs", ["bindings", "uapi", "macros"],
          edition=edition, cfg=keel_cfg, target=target)
    for name in args.lib:
        g.add(name, os.path.join("lib", name, "lib.rs"), edition=edition,
              cfg=keel_cfg, target=target)
    for path in args.modules:
        name = os.path.splitext(os.path.basename(path))[0]
        if name in g.index:
            raise SystemExit("gen-rust-project: two crates named %r" % name)
        g.add(name, path, ["kernel", "macros"] + list(args.lib),
              edition=edition, cfg=keel_cfg, target=target)
    return {"sysroot": args.sysroot,
            "sysroot_src": os.path.abspath(args.sysroot_src),
            "sysroot_project": sysroot_project(args.sysroot_src),
            "crates": g.crates}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sysroot", required=True, help="rustc --print sysroot")
    p.add_argument("--sysroot-src", required=True,
                   help="the library sources of that rustc")
    p.add_argument("--objtree", required=True, help="the build directory")
    p.add_argument("--macros-dylib", required=True)
    p.add_argument("--keel-flags", required=True)
    p.add_argument("--lib", action="append", default=[], metavar="NAME",
                   help="a library crate, lib/NAME/lib.rs (repeatable)")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("modules", nargs="*", help="driver/sample crate roots")
    args = p.parse_args(argv)
    for f in ("core/src/lib.rs", "alloc/src/lib.rs"):
        if not os.path.exists(os.path.join(args.sysroot_src, f)):
            raise SystemExit("gen-rust-project: %s has no %s" %
                             (args.sysroot_src, f))
    project = build(args)
    tmp = args.output + ".tmp"
    with open(tmp, "w") as f:
        json.dump(project, f, indent=1)
        f.write("\n")
    os.replace(tmp, args.output)
    print("  GEN     %s (%d crates)" % (args.output,
                                        len(project["crates"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
