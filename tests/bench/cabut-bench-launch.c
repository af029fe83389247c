/* cabut-bench-launch.c
 *
 * Copyright 2026 The Cabut authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts a program and times, from the outside, how long until its first
 * top-level window is on screen and drawn: the X server's MapNotify for a
 * new top-level window, then the first damage to it (XDamage) after the
 * map, then the last damage before QUIET_MS without any. The same method
 * for any X11 program, with no help from it. Not a test: run by
 * tests/bench/app.sh.
 *
 *   cabut-bench-launch QUIET_MS TIMEOUT_MS PROGRAM [ARGS…]
 *
 * Prints one line on stdout:
 *   start=<µs> mapped=<µs> painted=<µs> settled=<µs> damages=<n>
 * where start is CLOCK_MONOTONIC just before fork (absolute), the others
 * relative to it (-1 if it did not happen). The program gets SIGTERM then.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xlib.h>
#include <X11/extensions/Xdamage.h>

static long long
now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (long long) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
main (int   argc,
      char *argv[])
{
  Display *display;
  Window root;
  Window target = None;
  Damage damage = None;
  int damage_event, damage_error;
  long long quiet_us, timeout_us, start, mapped = -1, painted = -1, settled = -1, last_damage = -1;
  int damages = 0;
  pid_t child;

  if (argc < 4)
    {
      fprintf (stderr, "usage: %s QUIET_MS TIMEOUT_MS PROGRAM [ARGS…]\n", argv[0]);
      return 2;
    }
  quiet_us = atoll (argv[1]) * 1000;
  timeout_us = atoll (argv[2]) * 1000;

  display = XOpenDisplay (NULL);
  if (display == NULL)
    {
      fprintf (stderr, "cabut-bench-launch: cannot open the display\n");
      return 1;
    }
  if (!XDamageQueryExtension (display, &damage_event, &damage_error))
    {
      fprintf (stderr, "cabut-bench-launch: the X server has no DAMAGE extension\n");
      return 1;
    }
  root = DefaultRootWindow (display);
  XSelectInput (display, root, SubstructureNotifyMask);
  XSync (display, False);

  start = now_us ();
  child = fork ();
  if (child < 0)
    {
      perror ("fork");
      return 1;
    }
  if (child == 0)
    {
      close (ConnectionNumber (display));
      execvp (argv[3], argv + 3);
      perror (argv[3]);
      _exit (127);
    }

  for (;;)
    {
      long long now = now_us ();
      long long wait_us;
      struct pollfd pfd = { ConnectionNumber (display), POLLIN, 0 };

      if (now - start > timeout_us)
        break;
      if (last_damage >= 0 && now - (start + last_damage) >= quiet_us)
        {
          settled = last_damage;
          break;
        }
      if (waitpid (child, NULL, WNOHANG) == child)
        {
          child = -1;
          break;
        }

      if (XPending (display) == 0)
        {
          wait_us = timeout_us - (now - start);
          if (last_damage >= 0 && start + last_damage + quiet_us - now < wait_us)
            wait_us = start + last_damage + quiet_us - now;
          if (wait_us > 50000)
            wait_us = 50000;   /* look at the child now and then */
          if (poll (&pfd, 1, (int) (wait_us / 1000) + 1) < 0 && errno != EINTR)
            break;
          continue;
        }

      while (XPending (display) > 0)
        {
          XEvent event;

          XNextEvent (display, &event);
          now = now_us ();
          if (event.type == MapNotify && target == None && !event.xmap.override_redirect &&
              event.xmap.event == root)
            {
              target = event.xmap.window;
              mapped = now - start;
              damage = XDamageCreate (display, target, XDamageReportNonEmpty);
            }
          else if (event.type == damage_event + XDamageNotify &&
                   ((XDamageNotifyEvent *) &event)->drawable == target)
            {
              XDamageSubtract (display, damage, None, None);
              if (painted < 0)
                painted = now - start;
              last_damage = now - start;
              damages++;
            }
        }
    }

  printf ("start=%lld mapped=%lld painted=%lld settled=%lld damages=%d\n", start, mapped, painted, settled, damages);
  fflush (stdout);

  if (child > 0)
    {
      kill (child, SIGTERM);
      waitpid (child, NULL, 0);
    }
  XCloseDisplay (display);

  return mapped >= 0 ? 0 : 1;
}
