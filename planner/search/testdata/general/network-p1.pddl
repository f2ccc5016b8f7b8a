; Optimal: 4 steps: open three links that reach every node (src-a, a-t and
; src-b, or src-b, b-t and src-a), then serve t without raising the alarm.
(define (problem network-p1) (:domain network)
  (:objects a b t - node)
  (:init (edge src a) (edge a t) (edge src b) (edge b t))
  (:goal (and (served t) (not (alarm)))))
