package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/rnnlab/rnnlab/rnnlab/tasks"
)

func init() {
	commands["tasks"] = command{"list the tasks and collections: sizes, dt, periods and default timing, options", runTasks}
}

// taskInfo is what "rnnlab tasks" shows of one task, built with its
// defaults.
type taskInfo struct {
	Name string `json:"name"`
	// Collection is the prefix of a "COLLECTION.NAME" id, "" for none.
	Collection   string       `json:"collection,omitempty"`
	ObsSize      int          `json:"obs_size"`
	NumActions   int          `json:"num_actions"`
	Dt           float64      `json:"dt"`
	ObsGroups    []groupInfo  `json:"obs_groups,omitempty"`
	ActionGroups []groupInfo  `json:"action_groups,omitempty"`
	Rewards      []namedValue `json:"rewards"`
	// Periods are in the order of a default trial, then any other timed
	// period; Default is the default duration in ms ("" if the task does
	// not say).
	Periods      []periodInfo `json:"periods"`
	RecordFields []string     `json:"record_fields"`
	// Options are the task's options for --set (nil if it exposes none;
	// dt and seed are the --dt and --seed flags).
	Options []tasks.OptionInfo `json:"options"`
}

type groupInfo struct {
	Name    string `json:"name"`
	Indices []int  `json:"indices"`
}

type namedValue struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

func groupInfos(gs []tasks.Group) []groupInfo {
	out := make([]groupInfo, len(gs))
	for i, g := range gs {
		out[i] = groupInfo{g.Name, g.Indices}
	}
	return out
}

type periodInfo struct {
	Name    string `json:"name"`
	Default string `json:"default"`
}

// collectionInfo is a collection: the tasks named COLLECTION.NAME.
type collectionInfo struct {
	Name  string   `json:"name"`
	Tasks []string `json:"tasks"`
}

// collectionOf returns the collection of a task id such as "yang19.go-v0"
// (neurogym's naming), "" for a task outside any collection.
func collectionOf(name string) string {
	c, _, ok := strings.Cut(name, ".")
	if !ok {
		return ""
	}
	return c
}

// collections groups the registered tasks by collection.
func collections() []collectionInfo {
	var out []collectionInfo
	index := map[string]int{}
	for _, name := range tasks.Names() {
		c := collectionOf(name)
		if c == "" {
			continue
		}
		k, ok := index[c]
		if !ok {
			k = len(out)
			index[c] = k
			out = append(out, collectionInfo{Name: c})
		}
		out[k].Tasks = append(out[k].Tasks, name)
	}
	return out
}

// describeTask builds the task called name with its defaults and describes it.
func describeTask(name string) (*taskInfo, error) {
	task, err := tasks.New(name)
	if err != nil {
		return nil, err
	}
	info := &taskInfo{
		Name: name, Collection: collectionOf(name), ObsSize: task.ObsSize(), NumActions: task.NumActions(),
		Dt: task.Dt(), Rewards: []namedValue{},
	}
	for _, r := range task.RewardValues() {
		info.Rewards = append(info.Rewards, namedValue{r.Name, r.Value})
	}
	if g, ok := task.(tasks.GroupedTask); ok {
		info.ObsGroups, info.ActionGroups = groupInfos(g.ObsGroups()), groupInfos(g.ActionGroups())
	}
	tr, err := task.Clone().NewTrial(nil)
	if err != nil {
		return nil, fmt.Errorf("%s: drawing a default trial: %w", name, err)
	}
	timing := tasks.SpecOf(task).Timing
	seen := map[string]bool{}
	addPeriod := func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		pi := periodInfo{Name: p}
		if d, ok := timing[p]; ok {
			pi.Default = d.String()
		}
		info.Periods = append(info.Periods, pi)
	}
	for _, p := range tr.Periods {
		addPeriod(p.Name)
	}
	others := make([]string, 0, len(timing))
	for p := range timing {
		others = append(others, p)
	}
	sort.Strings(others)
	for _, p := range others {
		addPeriod(p)
	}
	if tr.Record != nil {
		for _, f := range tr.Record.Fields() {
			info.RecordFields = append(info.RecordFields, f.Name)
		}
	}
	opts, err := tasks.TaskOptions(name)
	switch {
	case errors.Is(err, tasks.ErrNoOptions):
	case err != nil:
		return nil, err
	default:
		info.Options = slices.DeleteFunc(opts, func(o tasks.OptionInfo) bool { return o.Key == "dt" || o.Key == "seed" })
		if info.Options == nil {
			info.Options = []tasks.OptionInfo{}
		}
	}
	return info, nil
}

func runTasks(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("tasks", "tasks [--task NAME|COLLECTION] [--json]", []string{
		"rnnlab tasks",
		"rnnlab tasks --task PerceptualDecisionMaking-v0     # groups, rewards, record fields and the --set options",
		"rnnlab tasks --json > tasks.json",
	}, stdout)
	only := fs.String("task", "", "describe only this task, with its options (or the tasks of this collection)")
	asJSON := fs.Bool("json", false, "print JSON: {tasks: [...], collections: [...]}, options included")
	if err := parse(fs, args); err != nil {
		return err
	}
	names := tasks.Names()
	colls := collections()
	detail := false
	if *only != "" {
		var members []string
		for _, c := range colls {
			if c.Name == *only {
				members = c.Tasks
				colls = []collectionInfo{c}
			}
		}
		switch {
		case members != nil:
			names = members
		case slices.Contains(names, *only):
			names, colls, detail = []string{*only}, nil, true
		default:
			var cn []string
			for _, c := range colls {
				cn = append(cn, c.Name)
			}
			msg := fmt.Sprintf("unknown task %q; known tasks: %s", *only, strings.Join(names, ", "))
			if len(cn) > 0 {
				msg += "; collections: " + strings.Join(cn, ", ")
			}
			return usageError{msg}
		}
	}
	infos := make([]*taskInfo, len(names))
	for i, n := range names {
		info, err := describeTask(n)
		if err != nil {
			return err
		}
		infos[i] = info
	}
	if *asJSON {
		if colls == nil {
			colls = []collectionInfo{}
		}
		b, err := json.MarshalIndent(struct {
			Tasks       []*taskInfo      `json:"tasks"`
			Collections []collectionInfo `json:"collections"`
		}{infos, colls}, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s\n", b)
		return err
	}
	if detail {
		return printTaskDetail(stdout, infos[0])
	}
	return printTaskTable(stdout, infos, colls)
}

// printTaskTable prints one line per task, then the collections.
func printTaskTable(w io.Writer, infos []*taskInfo, colls []collectionInfo) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TASK\tOBS\tACTIONS\tDT ms\tOPTIONS\tPERIODS (default timing, ms)")
	for _, info := range infos {
		nopt := "none"
		if info.Options != nil {
			nopt = strconv.Itoa(len(info.Options))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%g\t%s\t%s\n", info.Name, info.ObsSize, info.NumActions, info.Dt, nopt, periodsText(info.Periods))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%d tasks. rnnlab tasks --task NAME shows a task's groups, rewards, record fields and options (--set key=value).\n", len(infos))
	if len(colls) > 0 {
		fmt.Fprintln(w, "\nCollections (tasks named COLLECTION.NAME; rnnlab tasks --task COLLECTION lists one):")
		for _, c := range colls {
			short := make([]string, len(c.Tasks))
			for i, t := range c.Tasks {
				short[i] = strings.TrimPrefix(t, c.Name+".")
			}
			fmt.Fprintf(w, "  %s: %d tasks: %s\n", c.Name, len(c.Tasks), strings.Join(short, ", "))
		}
	}
	return nil
}

// periodsText writes periods as "fixation=100 stimulus=2000 ...".
func periodsText(ps []periodInfo) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Name
		if p.Default != "" {
			parts[i] += "=" + p.Default
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

// groupsText writes groups as "fixation {0}, stimulus {1 2}".
func groupsText(gs []groupInfo) string {
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = fmt.Sprintf("%s %v", g.Name, g.Indices)
	}
	return strings.Join(parts, ", ")
}

// printTaskDetail describes one task with its options.
func printTaskDetail(w io.Writer, info *taskInfo) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\n", info.Name)
	fmt.Fprintf(tw, "  observations\t%d: %s\n", info.ObsSize, groupsText(info.ObsGroups))
	fmt.Fprintf(tw, "  actions\t%d: %s\n", info.NumActions, groupsText(info.ActionGroups))
	fmt.Fprintf(tw, "  dt\t%g ms\n", info.Dt)
	rewards := make([]string, len(info.Rewards))
	for i, r := range info.Rewards {
		rewards[i] = fmt.Sprintf("%s %g", r.Name, r.Value)
	}
	fmt.Fprintf(tw, "  rewards\t%s\n", strings.Join(rewards, ", "))
	fmt.Fprintf(tw, "  periods (ms)\t%s\n", periodsText(info.Periods))
	fmt.Fprintf(tw, "  record fields\t%s\n", strings.Join(info.RecordFields, ", "))
	if err := tw.Flush(); err != nil {
		return err
	}
	if info.Options == nil {
		fmt.Fprintf(w, "\n%s exposes no options: --set cannot be used with it (it registers no configuration type).\n", info.Name)
		return nil
	}
	fmt.Fprintf(w, "\nOptions (--set key=value; dt and seed are --dt and --seed; a default of - is the task's own):\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  KEY\tTYPE\tDEFAULT")
	for _, o := range info.Options {
		def := o.Default
		if def == "" {
			def = "-"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", o.Key, o.Type, def)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nLists are comma-separated (cohs=0,25.6); durations are ms, choice(a,b,...), uniform(lo,hi) or truncexp(mean,min[,max]).")
	return nil
}
