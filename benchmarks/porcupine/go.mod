module zkharness/porcupinebench

go 1.16

require github.com/anishathalye/porcupine v0.0.0

// a checkout of github.com/anishathalye/porcupine (not vendored); see README.md
replace github.com/anishathalye/porcupine => ../../../porcupine-src
