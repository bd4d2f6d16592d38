"""Inspecting a file without compiling it: what it is, what it needs, who made it, whether it runs here.

`report` builds the `Report` behind the Overview and `inspect --json`; `input` reads the file safely,
`digest` remembers hashes of big files, `toolchain` guesses the toolchain with its evidence."""
