package replica

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/benbjohnson/litestream"
	"github.com/benbjohnson/litestream/file"
	lss3 "github.com/benbjohnson/litestream/s3"

	"checkout/store"
)

// A Target is where the tills' copies go, as backup.target names it: a folder (a USB drive, a mounted NAS
// share) or S3-compatible storage, s3://BUCKET/PREFIX?endpoint=https://host:9000&region=REGION. S3's
// credentials are never a setting: the SDK's usual chain finds them (AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY, or the till user's ~/.aws/credentials).
type Target interface {
	String() string
	// Check says why the target cannot be written to now; it is cheap, and is asked before each write.
	Check(ctx context.Context) error
	// replicaClient is Litestream's client for a till's replica.
	replicaClient(till string) litestream.ReplicaClient
	// files are a till's snapshots and keys.
	files(till string) files
}

// files are a till's own files in a target: names are slash-separated and relative to the till's folder.
type files interface {
	// put writes a file whole, never over one that exists.
	put(ctx context.Context, name string, r io.Reader) error
	get(ctx context.Context, name string, w io.Writer) error
	// list returns the names in dir, sorted.
	list(ctx context.Context, dir string) ([]string, error)
	remove(ctx context.Context, name string) error
	exists(ctx context.Context, name string) (bool, error)
}

// ParseTarget reads backup.target: a full path to a folder, or an s3:// URL. It checks the form only.
func ParseTarget(s string) (Target, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return nil, errors.New("no backup folder set (checkout set backup.target /media/usb)")
	case strings.HasPrefix(s, "s3://"):
		return parseS3(s)
	case strings.Contains(s, "://"):
		return nil, fmt.Errorf("backup target %q: a folder (mount the server's share, e.g. with sshfs or SMB) or s3://BUCKET/PREFIX", s)
	case !filepath.IsAbs(s):
		return nil, fmt.Errorf("backup folder %q: a full path, such as /media/usb or D:\\Backups", s)
	}
	return Folder(filepath.Clean(s)), nil
}

// tillDir is a till's folder name in a target: checkout-TILL.
func tillDir(till string) string { return "checkout-" + safeName(till) }

// Folder is a folder target: the owner's folder, which must exist (a drive that is not mounted leaves an
// empty mount point, and copies written there would land on the till's own disk).
type Folder string

func (f Folder) String() string { return string(f) }

func (f Folder) Check(context.Context) error {
	info, err := os.Stat(string(f))
	if err != nil {
		return &folderGone{root: string(f)}
	}
	if !info.IsDir() {
		return fmt.Errorf("backup folder %s is a file, not a folder", f)
	}
	return nil
}

func (f Folder) dir(till string) string { return filepath.Join(string(f), tillDir(till)) }

func (f Folder) replicaClient(till string) litestream.ReplicaClient {
	return &guardedFolder{ReplicaClient: file.NewReplicaClient(filepath.Join(f.dir(till), replicaDir)), target: f, folder: f.dir(till)}
}

func (f Folder) files(till string) files { return folderFiles{target: f, dir: f.dir(till)} }

// folderFiles are a till's files in a folder target.
type folderFiles struct {
	target Folder
	dir    string
}

func (f folderFiles) path(name string) string { return filepath.Join(f.dir, filepath.FromSlash(name)) }

func (f folderFiles) put(ctx context.Context, name string, r io.Reader) error {
	if err := f.target.Check(ctx); err != nil {
		return err
	}
	// store.WriteNew: written whole beside the name, synced, then renamed, never over a file there. Not a
	// hard link: the USB drives shops use are FAT or exFAT, which have none.
	return store.WriteNew(f.path(name), func(tmp string) error {
		out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, r)
		return errors.Join(err, out.Close())
	})
}

func (f folderFiles) get(_ context.Context, name string, w io.Writer) error {
	in, err := os.Open(f.path(name))
	if err != nil {
		return err
	}
	defer in.Close()
	_, err = io.Copy(w, in)
	return err
}

func (f folderFiles) list(_ context.Context, dir string) ([]string, error) {
	entries, err := os.ReadDir(f.path(dir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	return names, err
}

func (f folderFiles) remove(_ context.Context, name string) error { return os.Remove(f.path(name)) }

func (f folderFiles) exists(_ context.Context, name string) (bool, error) {
	_, err := os.Stat(f.path(name))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// S3 is S3-compatible storage (AWS, MinIO, Cloudflare R2, a NAS's S3 service).
type S3 struct {
	Bucket, Prefix, Endpoint, Region string
	// checked is when the bucket last answered: it is asked again after a minute, not before every write.
	checked atomic.Int64
}

func parseS3(s string) (*S3, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" {
		return nil, fmt.Errorf("backup target %q: s3://BUCKET/PREFIX?endpoint=https://host:9000&region=REGION, with no credentials in it (they come from the environment or ~/.aws/credentials)", s)
	}
	q := u.Query()
	for key := range q {
		if key != "endpoint" && key != "region" {
			return nil, fmt.Errorf("backup target %q: unknown option %q (endpoint, region)", s, key)
		}
	}
	t := &S3{Bucket: u.Host, Prefix: strings.Trim(path.Clean("/"+u.Path), "/"), Endpoint: q.Get("endpoint"), Region: q.Get("region")}
	if t.Endpoint != "" {
		e, err := url.Parse(t.Endpoint)
		if err != nil || (e.Scheme != "https" && e.Scheme != "http") || e.Host == "" || e.User != nil {
			return nil, fmt.Errorf("backup target %q: endpoint %q: https://host[:port]", s, t.Endpoint)
		}
	}
	if t.Region == "" {
		t.Region = lss3.DefaultRegion
	}
	return t, nil
}

func (t *S3) String() string {
	s := "s3://" + t.Bucket + "/" + t.Prefix
	if t.Endpoint != "" {
		s += " at " + t.Endpoint
	}
	return s
}

func (t *S3) key(till, name string) string {
	return strings.TrimPrefix(path.Join(t.Prefix, tillDir(till), name), "/")
}

func (t *S3) api(ctx context.Context) (*s3.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(t.Region))
	if err != nil {
		return nil, err
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if t.Endpoint != "" {
			o.BaseEndpoint = aws.String(t.Endpoint)
			o.UsePathStyle = true // MinIO and most self-hosted stores
		}
	}), nil
}

// Check asks the bucket whether it is there and ours to write, within a few seconds; an answer holds for
// a minute (each request costs the shop money).
func (t *S3) Check(ctx context.Context) error {
	if time.Since(time.Unix(0, t.checked.Load())) < time.Minute {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	api, err := t.api(ctx)
	if err == nil {
		_, err = api.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(t.Bucket)})
	}
	if err != nil {
		return fmt.Errorf("backup storage %s cannot be reached: %w", t, err)
	}
	t.checked.Store(time.Now().UnixNano())
	return nil
}

// tills lists the tills with a folder under the prefix.
func (t *S3) tills(ctx context.Context) ([]string, error) {
	api, err := t.api(ctx)
	if err != nil {
		return nil, err
	}
	prefix := strings.TrimPrefix(t.Prefix+"/", "/")
	var tills []string
	p := s3.NewListObjectsV2Paginator(api, &s3.ListObjectsV2Input{Bucket: aws.String(t.Bucket), Prefix: aws.String(prefix + "checkout-"), Delimiter: aws.String("/")})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, cp := range page.CommonPrefixes {
			if till := strings.TrimSuffix(strings.TrimPrefix(aws.ToString(cp.Prefix), prefix+"checkout-"), "/"); till != "" {
				tills = append(tills, till)
			}
		}
	}
	return tills, nil
}

func (t *S3) replicaClient(till string) litestream.ReplicaClient {
	c := lss3.NewReplicaClient()
	c.Bucket, c.Path, c.Endpoint, c.Region = t.Bucket, t.key(till, replicaDir), t.Endpoint, t.Region
	c.ForcePathStyle = t.Endpoint != ""
	return c
}

func (t *S3) files(till string) files { return s3Files{t: t, till: till} }

type s3Files struct {
	t    *S3
	till string
}

func (f s3Files) put(ctx context.Context, name string, r io.Reader) error {
	api, err := f.t.api(ctx)
	if err != nil {
		return err
	}
	// The snapshots are small enough to send in one piece, which S3 takes whole or not at all.
	body, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, err = api.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(f.t.Bucket), Key: aws.String(f.t.key(f.till, name)),
		Body: bytes.NewReader(body), IfNoneMatch: aws.String("*")})
	return err
}

func (f s3Files) get(ctx context.Context, name string, w io.Writer) error {
	api, err := f.t.api(ctx)
	if err != nil {
		return err
	}
	out, err := api.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(f.t.Bucket), Key: aws.String(f.t.key(f.till, name))})
	if err != nil {
		return err
	}
	defer out.Body.Close()
	_, err = io.Copy(w, out.Body)
	return err
}

func (f s3Files) list(ctx context.Context, dir string) ([]string, error) {
	api, err := f.t.api(ctx)
	if err != nil {
		return nil, err
	}
	prefix := f.t.key(f.till, dir) + "/"
	var names []string
	p := s3.NewListObjectsV2Paginator(api, &s3.ListObjectsV2Input{Bucket: aws.String(f.t.Bucket), Prefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Contents {
			if name := strings.TrimPrefix(aws.ToString(o.Key), prefix); name != "" && !strings.Contains(name, "/") {
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return names, nil
}

func (f s3Files) remove(ctx context.Context, name string) error {
	api, err := f.t.api(ctx)
	if err != nil {
		return err
	}
	_, err = api.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(f.t.Bucket), Key: aws.String(f.t.key(f.till, name))})
	return err
}

func (f s3Files) exists(ctx context.Context, name string) (bool, error) {
	names, err := f.list(ctx, path.Dir(name))
	return slices.Contains(names, path.Base(name)), err
}
