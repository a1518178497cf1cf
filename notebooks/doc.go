// Package notebooks holds rnnlab's Jupyter notebooks (GoNB kernel) and the test that runs them.
//
// The notebooks are the .ipynb files in this folder. They call the rnnlab packages and hold no algorithm
// of their own. scripts/setup.sh installs Jupyter and GoNB and registers the "gonb" kernel, which starts
// through scripts/gonb-kernel.sh: it gives GoNB a go.work that uses the checkout the notebook lives in,
// which is how a notebook imports github.com/rnnlab/rnnlab/rnnlab/... from its own checkout, whichever
// checkout registered the kernel. TestNotebookUsesItsCheckout checks that with two clones.
//
// TestNotebooks executes every notebook headlessly with nbconvert, as scripts/run-notebooks.sh does, and
// then reads the executed notebook: no cell may hold an error output or a Go panic, each notebook must show
// at least the figures listed for it, and the numbers it prints (training accuracy, number of fixed points,
// leading eigenvalue, ...) must lie in the ranges listed in the test. Set RNNLAB_SKIP_NOTEBOOKS=1 to skip
// it; set RNNLAB_NOTEBOOK_OUT=DIR to keep the executed notebooks and kernel logs in DIR. Both executions set
// RNNLAB_NOTEBOOK_HEADLESS=1, so that interactive cells (rnnlab/nbui.Explore) draw their first frame and
// do not wait for a browser.
//
// The notebooks are committed executed, so that a reader of the repository sees their outputs.
// scripts/run-notebooks.sh --commit NOTEBOOK.ipynb executes a notebook and writes it back in place,
// stamped with CodeHash of its code cells in metadata.rnnlab.code_sha256. TestCommittedOutputs, which
// executes nothing and runs even with RNNLAB_SKIP_NOTEBOOKS=1, fails when a committed notebook is stale:
// no stamp or a stamp of other code, a code cell not executed or executed out of order, a program cell
// (%% or !) without output, an error output, or outputs short of the figures and numbers listed for it.
// Each notebook registers those in expectations, from its own file NAME_test.go.
package notebooks
