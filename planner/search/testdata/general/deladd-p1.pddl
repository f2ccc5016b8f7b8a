; Optimal: 2 steps: touch a a (a stays marked and is touched) and reset c
; (every lamp goes dark but c, which the same action lights). If deletes
; won, touch a a would lose the mark and the goal would need more steps.
(define (problem deladd-p1) (:domain deladd)
  (:objects a b c d)
  (:init (mark a) (lamp c) (lamp d) (lit d) (ready))
  (:goal (and (mark a) (touched a) (lit c) (not (lit d)))))
