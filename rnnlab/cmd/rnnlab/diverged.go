package main

import (
	"errors"
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/pipeline"
	"github.com/rnnlab/rnnlab/rnnlab/training"
)

// divergedNote adds to the error of a run that diverged where its last
// finite state was saved (pipeline.Train and Resume save it, marked
// failed); other errors are returned as they are.
func divergedNote(err error, run *pipeline.Run) error {
	var de *training.DivergedError
	if run == nil || run.Dir == "" || run.Summary == nil || !errors.As(err, &de) {
		return err
	}
	return fmt.Errorf("%w (%s holds the last finite state, after step %d, marked failed)", err, run.Dir, run.Summary.Steps)
}
