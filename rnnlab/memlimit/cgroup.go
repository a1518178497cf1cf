package memlimit

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// cgroupRoot is where the cgroup file systems are mounted.
const cgroupRoot = "/sys/fs/cgroup"

// cgroupAvailable returns the memory the process' cgroup has left, its
// limit minus its usage (cgroup v2 memory.max and memory.current, or v1
// memory.limit_in_bytes and memory.usage_in_bytes), as a Slurm job's --mem
// or a container's limit sets it; false when there is no limit.
func cgroupAvailable() (float64, bool) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return 0, false
	}
	for _, dir := range cgroupDirs(string(b)) {
		for _, f := range [][2]string{{"memory.max", "memory.current"}, {"memory.limit_in_bytes", "memory.usage_in_bytes"}} {
			limit, ok1 := readBytes(filepath.Join(dir, f[0]))
			usage, ok2 := readBytes(filepath.Join(dir, f[1]))
			if ok1 && ok2 {
				return max(limit-usage, 0), true
			}
		}
	}
	return 0, false
}

// cgroupDirs returns the folders that may hold the memory controller's
// files of the cgroup described by /proc/self/cgroup's text: the
// process' own cgroup (v2 "0::/path", v1 "N:memory:/path"), then the
// mount's root (a cgroup namespace shows the process' cgroup there).
func cgroupDirs(procCgroup string) []string {
	var dirs []string
	for _, line := range strings.Split(procCgroup, "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "":
			dirs = append(dirs, filepath.Join(cgroupRoot, parts[2]), cgroupRoot)
		case strings.Contains(","+parts[1]+",", ",memory,"):
			dirs = append(dirs, filepath.Join(cgroupRoot, "memory", parts[2]), filepath.Join(cgroupRoot, "memory"))
		}
	}
	return dirs
}

// readBytes reads a cgroup memory file: a number of bytes; "max" or a
// value of 2^62 or more (v1's "no limit") is no limit.
func readBytes(path string) (float64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || v >= 1<<62 {
		return 0, false
	}
	return float64(v), true
}
