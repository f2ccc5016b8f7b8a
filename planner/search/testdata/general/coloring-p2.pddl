; A triangle painted wrongly (a and b both red). Optimal: 3 steps: wipe a
; (or b), paint it blue, certify.
(define (problem coloring-p2) (:domain coloring)
  (:objects a b c - node red green blue - color)
  (:init (edge a b) (edge b c) (edge c a) (has a red) (has b red) (has c green))
  (:goal (certified)))
