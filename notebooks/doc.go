// Package notebooks holds rnnlab's Jupyter notebooks (GoNB kernel) and the test that runs them.
//
// The notebooks are the .ipynb files in this folder. They call the rnnlab packages and hold no algorithm
// of their own. scripts/setup.sh installs Jupyter and GoNB and registers the "gonb" kernel with a go.work
// that uses the checkout, which is how a notebook imports github.com/rnnlab/rnnlab/rnnlab/...
//
// TestNotebooks executes every notebook headlessly with nbconvert, as scripts/run-notebooks.sh does, and
// then reads the executed notebook: no cell may hold an error output or a Go panic, each notebook must show
// at least the figures listed for it, and the numbers it prints (training accuracy, number of fixed points,
// leading eigenvalue, ...) must lie in the ranges listed in the test. Set RNNLAB_SKIP_NOTEBOOKS=1 to skip
// it; set RNNLAB_NOTEBOOK_OUT=DIR to keep the executed notebooks and kernel logs in DIR.
package notebooks
