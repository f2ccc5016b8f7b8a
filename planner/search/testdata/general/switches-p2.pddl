; Optimal: 2 steps: swap s1 master (exactly one of them is on, so master
; comes on and s1 goes off), then toggle-on s1, which lights l1. Without
; the swap it takes 3 (toggle-off s1, toggle-on master, toggle-on s1).
(define (problem switches-p2) (:domain switches)
  (:objects s1 s2 - switch l1 - lamp)
  (:init (on s1) (wired s1 l1))
  (:goal (and (lit l1) (or (on s2) (on s1)))))
